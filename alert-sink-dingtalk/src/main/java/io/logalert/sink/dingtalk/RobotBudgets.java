package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.RateBudgets;

/** The robot core's {@link RateBudgets}, under the name this module's tests give their own registries. */
final class RobotBudgets extends RateBudgets {
}
