package securenn.bench.protocols;

import java.util.ArrayList;
import java.util.List;

/** The lock-step benchmark suites run by three party processes: Table 8 protocols, Table 7 inference, training
 * steps, and batch-128 inference for the cost of link encryption. */
enum Suite
{
    PROTOCOLS(2, "yield", null, false), INFERENCE(1, "yield", null, false), TRAINING(1, "backoff", "SHARED", true),
    ENCRYPTION(1, "yield", null, false);

    /** Measurement passes; only the last is reported (earlier ones let background compilation settle). */
    final int passes;

    /**
     * How a waiting party idles: training steps are long computations between messages, where yielding waiters take
     * CPU from the two computing parties (3 parties, 2 cores), so they back off to parking; the rest stay on yield.
     */
    final String partyIdle;

    /**
     * Aeron driver threading when the command line names none (null: the transport's own default, INVOKER). Training
     * steps move hundreds of MB (network C: 822 MB), which in INVOKER mode flows only while both ends are inside a
     * transport call, so its processes get a driver thread each (SHARED).
     */
    final String defaultThreading;

    /**
     * Whether the parties form their session as deployed (cluster config, identities, X25519 agreement, HKDF'd stream
     * keys: {@link BenchSession#agreed}) rather than with seeded keys: training steps are priced as {@code train-party}
     * runs them.
     */
    final boolean agreedKeys;

    Suite(final int passes, final String partyIdle, final String defaultThreading, final boolean agreedKeys)
    {
        this.agreedKeys = agreedKeys;
        this.passes = passes;
        this.partyIdle = partyIdle;
        this.defaultThreading = defaultThreading;
    }

    List<ProtocolCase> cases()
    {
        if (this == INFERENCE)
        {
            return InferenceCases.table7();
        }
        if (this == ENCRYPTION)
        {
            return InferenceCases.encryption();
        }
        if (this == TRAINING)
        {
            return InferenceCases.training();
        }
        final List<ProtocolCase> cases = new ArrayList<>(ProtocolCase.table8());
        cases.addAll(ProtocolCase.oneCompare());
        return cases;
    }
}
