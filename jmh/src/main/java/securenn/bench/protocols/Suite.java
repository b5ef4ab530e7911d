package securenn.bench.protocols;

import java.util.ArrayList;
import java.util.List;

/** The lock-step benchmark suites run by three party processes: Table 8 protocols, Table 7 inference, training
 * steps, and batch-128 inference for the cost of link encryption. */
enum Suite
{
    PROTOCOLS(2), INFERENCE(1), TRAINING(1), ENCRYPTION(1);

    /** Measurement passes; only the last is reported (earlier ones let background compilation settle). */
    final int passes;

    Suite(final int passes)
    {
        this.passes = passes;
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
        cases.add(ProtocolCase.fullRelu(128, 128));
        return cases;
    }
}
