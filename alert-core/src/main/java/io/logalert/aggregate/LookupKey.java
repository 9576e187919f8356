package io.logalert.aggregate;

/**
 * A key of three strings and a flag, looked up without joining them, so that counting a record of a known group
 * allocates and copies nothing but this object. Written out rather than a record: a record's {@code hashCode} and
 * {@code equals} go through method handles, which showed up in the profile of every record counted, and this one
 * compares the hash before the strings.
 */
final class LookupKey {

    private final String project;
    private final String kind;
    private final String text;
    private final boolean fixed;
    private final int hash;

    LookupKey(String project, String kind, String text, boolean fixed) {
        this.project = project;
        this.kind = kind;
        this.text = text;
        this.fixed = fixed;
        this.hash = (31 * (31 * project.hashCode() + kind.hashCode()) + text.hashCode()) * 2 + (fixed ? 1 : 0);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LookupKey key && hash == key.hash && fixed == key.fixed && text.equals(key.text)
                && kind.equals(key.kind) && project.equals(key.project);
    }
}
