package io.logalert.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.io.Writer;

/**
 * A parser that resolves {@code ${VAR}} and {@code ${VAR:-default}} in every text value as it is read, so that any
 * key takes a variable and every position stays the one in the file. An unresolvable value is a problem at its key
 * (and reads as empty text, so that binding goes on).
 */
final class ResolvingParser extends JsonParserDelegate {

    private final EnvVars env;
    private final Problems problems;
    private JsonLocation resolvedAt;
    private String resolved;

    ResolvingParser(JsonParser delegate, EnvVars env, Problems problems) {
        super(delegate);
        this.env = env;
        this.problems = problems;
    }

    /** The current text value with its variables resolved; each value is resolved, and reported, once. */
    private String resolved() throws IOException {
        JsonLocation at = delegate.currentTokenLocation();
        if (!at.equals(resolvedAt)) {
            EnvVars.Resolved r = env.resolve(delegate.getText());
            String pointer = YamlIndex.pointerOf(delegate);
            for (String problem : r.problems()) {
                problems.add(pointer, problem);
            }
            if (!r.problems().isEmpty()) {
                problems.markBroken(pointer);
            }
            resolvedAt = at;
            resolved = r.value();
        }
        return resolved;
    }

    private boolean onText() {
        return delegate.currentToken() == JsonToken.VALUE_STRING;
    }

    @Override
    public String getText() throws IOException {
        return onText() ? resolved() : delegate.getText();
    }

    @Override
    public int getText(Writer writer) throws IOException {
        if (!onText()) {
            return delegate.getText(writer);
        }
        String text = resolved();
        writer.write(text);
        return text.length();
    }

    @Override
    public boolean hasTextCharacters() {
        // callers then ask for getText(), which resolves
        return !onText() && delegate.hasTextCharacters();
    }

    @Override
    public char[] getTextCharacters() throws IOException {
        return onText() ? resolved().toCharArray() : delegate.getTextCharacters();
    }

    @Override
    public int getTextLength() throws IOException {
        return onText() ? resolved().length() : delegate.getTextLength();
    }

    @Override
    public int getTextOffset() throws IOException {
        return onText() ? 0 : delegate.getTextOffset();
    }

    @Override
    public String getValueAsString() throws IOException {
        return onText() ? resolved() : delegate.getValueAsString();
    }

    @Override
    public String getValueAsString(String defaultValue) throws IOException {
        return onText() ? resolved() : delegate.getValueAsString(defaultValue);
    }

    // The delegate's next...Value methods would read text past this class: each goes through nextToken() here.

    @Override
    public String nextTextValue() throws IOException {
        return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
    }

    @Override
    public String nextFieldName() throws IOException {
        return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
    }

    @Override
    public boolean nextFieldName(SerializableString name) throws IOException {
        return nextToken() == JsonToken.FIELD_NAME && name.getValue().equals(currentName());
    }

    @Override
    public int nextIntValue(int defaultValue) throws IOException {
        return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
    }

    @Override
    public long nextLongValue(long defaultValue) throws IOException {
        return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
    }

    @Override
    public Boolean nextBooleanValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.VALUE_TRUE ? Boolean.TRUE : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
    }
}
