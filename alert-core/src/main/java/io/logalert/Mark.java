package io.logalert;

/** How a kind of error stands against what the pipeline has seen before; sinks show it before the count. */
public enum Mark {
    /** Seen recently: nothing to say. */
    NONE,
    /** Never seen before by this pipeline. */
    NEW,
    /** Seen before, then quiet for longer than the pipeline's quiet period, and now back. */
    BACK
}
