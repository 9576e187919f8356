package io.logalert;

import io.logalert.spi.KnownKind;
import io.logalert.spi.SampleRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Stage 3, suppress: silences, realert, and the marks new and back, against the kinds the pipeline knows. Nothing is
 * discarded: what a silence holds is tallied per silence and project until a digest says so; what realert holds is
 * kept with its kind until a digest shows the kind again, or its period ends.
 *
 * @param shown         the groups to show: the window's, marked and with what realert held before, and kinds whose
 *                      realert period ended while they were held (shown with what was held); each with the record
 *                      it shows as its sample when the source deferred that record's details
 * @param released      what silences that are no longer active held back, for the next digests
 * @param kinds         the kinds the pipeline knows after this window
 * @param silenced      what active silences hold so far
 * @param heldByRealert records held back by realert in this window
 * @param heldBySilence records held back by silences in this window
 */
record Suppression(SampledGroups shown, List<Silenced> released, List<KnownKind> kinds, List<Silenced> silenced,
        long heldByRealert, long heldBySilence) {

    /** A time before every record: the last shown time of a kind never shown. */
    static final Instant NEVER = Instant.EPOCH;

    /**
     * Suppresses {@code groups}, the groups of a window (or of a caught-up backlog), with their deferred samples.
     *
     * @param at  the end of the window: the time realert periods are measured at, so that they follow the records,
     *            not the moment a run happens to read them
     * @param now the run's time, which decides whether a silence is active
     */
    static Suppression of(SampledGroups groups, Instant at, Instant now, List<KnownKind> known,
            List<Silence> silences, List<Silenced> silencedBefore, Realert realert, KindOptions options) {
        Map<String, KnownKind> kinds = new LinkedHashMap<>();
        known.forEach(kind -> kinds.put(WindowRead.groupId(kind.project(), kind.key()), kind));
        List<Silence> active = silences.stream().filter(s -> s.isActive(now)).toList();
        // each silence's regular expression compiled once per window, not once per group
        List<Map.Entry<Silence, Predicate<ErrorGroup>>> matchers = active.stream()
                .map(s -> Map.entry(s, s.matcher())).toList();

        List<ErrorGroup> shown = new ArrayList<>();
        Map<String, SampleRequest> shownSamples = new HashMap<>();
        Map<String, Silenced> silenced = new LinkedHashMap<>();
        List<Silenced> released = new ArrayList<>();
        for (Silenced tally : silencedBefore) {
            boolean stillActive = active.stream().anyMatch(s -> s.id().equals(tally.silenceId()));
            if (stillActive) {
                silenced.put(tally.silenceId() + '\u0000' + tally.project(), tally);
            } else {
                released.add(tally);
            }
        }
        long heldByRealert = 0;
        long heldBySilence = 0;
        Set<String> seen = new HashSet<>();
        for (ErrorGroup group : groups.groups()) {
            String id = WindowRead.groupId(group);
            Optional<SampleRequest> sample = Optional.ofNullable(groups.samples().get(id));
            seen.add(id);
            KnownKind kind = kinds.get(id);
            Optional<Silence> silence = matchers.stream().filter(m -> m.getValue().test(group))
                    .map(Map.Entry::getKey).findFirst();
            if (silence.isPresent()) {
                Silence s = silence.get();
                silenced.merge(s.id() + '\u0000' + group.project(),
                        new Silenced(s.id(), s.reason(), group.project(), group.count(), s.createdAt(),
                                s.expiresAt()),
                        (a, b) -> a.plus(b.events()));
                heldBySilence += group.count();
                kinds.put(id, kind == null
                        ? new KnownKind(group.project(), group.key(), group.firstSeen(), group.lastSeen(), NEVER, 0,
                                Optional.empty())
                        : seen(kind, group, kind.lastShown(), kind.realertStep(), kind.held(), kind.heldSample()));
                continue;
            }
            Mark mark = kind == null || kind.lastShown().equals(NEVER) ? Mark.NEW
                    : !group.firstSeen().isBefore(kind.lastSeen().plus(options.backAfter())) ? Mark.BACK
                    : Mark.NONE;
            if (mark == Mark.NONE && at.isBefore(kind.lastShown().plus(realert.period(kind.realertStep())))) {
                // the held group keeps the sample of its first window, and so the request for that sample
                ErrorGroup held = kind.held().map(h -> h.plus(group)).orElse(group.withMark(Mark.NONE));
                Optional<SampleRequest> heldSample = kind.held().isPresent() ? kind.heldSample() : sample;
                kinds.put(id, seen(kind, group, kind.lastShown(), kind.realertStep(), Optional.of(held), heldSample));
                heldByRealert += group.count();
                continue;
            }
            Optional<HeldBack> heldBack = kind == null ? Optional.empty()
                    : kind.held().map(h -> new HeldBack(h.count(), h.firstSeen()));
            shown.add(group.withMark(mark).withHeldBack(heldBack));
            sample.ifPresent(s -> shownSamples.put(id, s));
            int step = 0;
            if (kind != null && realert.exponential() && mark == Mark.NONE) {
                // still recurring within a period of the last showing: wait twice as long next time
                boolean recurring = group.firstSeen().isBefore(kind.lastSeen().plus(realert.period(kind.realertStep())));
                step = recurring ? kind.realertStep() + 1 : 0;
            }
            KnownKind base = kind != null ? kind
                    : new KnownKind(group.project(), group.key(), group.firstSeen(), group.lastSeen(), NEVER, 0,
                            Optional.empty());
            kinds.put(id, seen(base, group, at, step, Optional.empty(), Optional.empty()));
        }
        // a kind held back whose period has ended is shown with what was held, even if it did not recur
        for (Map.Entry<String, KnownKind> entry : kinds.entrySet()) {
            KnownKind kind = entry.getValue();
            if (kind.held().isPresent() && !seen.contains(entry.getKey())
                    && !at.isBefore(kind.lastShown().plus(realert.period(kind.realertStep())))) {
                shown.add(kind.held().get());
                kind.heldSample().ifPresent(s -> shownSamples.put(entry.getKey(), s));
                entry.setValue(new KnownKind(kind.project(), kind.key(), kind.firstSeen(), kind.lastSeen(), at,
                        kind.realertStep(), Optional.empty()));
            }
        }
        return new Suppression(new SampledGroups(shown, shownSamples), released, bounded(kinds, at, options),
                List.copyOf(silenced.values()), heldByRealert, heldBySilence);
    }

    private static KnownKind seen(KnownKind kind, ErrorGroup group, Instant lastShown, int step,
            Optional<ErrorGroup> held, Optional<SampleRequest> heldSample) {
        Instant lastSeen = group.lastSeen().isAfter(kind.lastSeen()) ? group.lastSeen() : kind.lastSeen();
        return new KnownKind(kind.project(), kind.key(), kind.firstSeen(), lastSeen, lastShown, step, held,
                heldSample);
    }

    /**
     * The kinds to keep: those quiet for longer than {@code forgetAfter} are forgotten, and beyond {@code maxKinds}
     * the longest quiet; a kind that holds records back is never forgotten, since its records are still to be shown.
     */
    private static List<KnownKind> bounded(Map<String, KnownKind> kinds, Instant at, KindOptions options) {
        List<KnownKind> kept = new ArrayList<>(kinds.size());
        Instant forget = at.minus(options.forgetAfter());
        for (KnownKind kind : kinds.values()) {
            if (kind.held().isPresent() || kind.lastSeen().isAfter(forget)) {
                kept.add(kind);
            }
        }
        if (kept.size() > options.maxKinds()) {
            kept.sort(Comparator.comparing((KnownKind k) -> k.held().isPresent()).reversed()
                    .thenComparing(KnownKind::lastSeen, Comparator.reverseOrder()));
            kept = new ArrayList<>(kept.subList(0, Math.max(options.maxKinds(),
                    (int) kept.stream().filter(k -> k.held().isPresent()).count())));
        }
        return kept;
    }
}
