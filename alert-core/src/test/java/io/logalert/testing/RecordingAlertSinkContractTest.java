package io.logalert.testing;

import io.logalert.spi.AlertSink;

class RecordingAlertSinkContractTest extends AlertSinkContract {

    @Override
    protected AlertSink createSink() {
        return new RecordingAlertSink();
    }
}
