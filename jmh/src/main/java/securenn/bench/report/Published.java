package securenn.bench.report;

import java.util.List;

/**
 * Published figures we compare against, typed in once from their source with the setting they were measured in.
 * Everything of ours in the reports comes from measurement; these are the only hand-entered numbers.
 */
public final class Published
{
    /** The paper every figure below is quoted from. */
    public static final String SOURCE = "S. Wagh, D. Gupta, N. Chandran, SecureNN: 3-Party Secure Computation for Neural "
        + "Network Training, PETS 2019 (whitepaper of 20 Feb 2019)";

    /** LAN setting of the whitepaper (Section 8.1). */
    public static final String LAN = "3 × EC2 c4.8xlarge, LAN: 625 MB/s, 0.22 ms ping";

    /** One framework's single-image inference (Table 6, LAN): seconds and MB, NaN where not published. */
    public record Inference(String network, String framework, String parties, double offlineS, double onlineS,
        double totalS, double offlineMb, double onlineMb, double totalMb, String citation)
    {
    }

    private static final double NA = Double.NaN;

    /** Table 6 of the whitepaper, as it quotes the other systems' papers. */
    public static final List<Inference> TABLE_6 = List.of(
        new Inference("A", "SecureML", "2PC", 4.7, 0.18, 4.88, NA, NA, NA, "Mohassel, Zhang, S&P 2017 (via SecureNN Table 6)"),
        new Inference("A", "ABY3", "3PC", 0.003, 0.005, 0.008, NA, NA, 0.5, "Mohassel, Rindal, CCS 2018 (via SecureNN Table 6)"),
        new Inference("A", "SecureNN", "3PC", 0, 0.043, 0.043, 0, 2.1, 2.1, "SecureNN Table 6"),
        new Inference("B", "MiniONN", "2PC", 3.58, 5.74, 9.32, 20.9, 636.6, 657.5, "Liu et al., CCS 2017 (via SecureNN Table 6)"),
        new Inference("B", "Gazelle", "2PC", 0.481, 0.33, 0.81, 47.5, 22.5, 70.0, "Juvekar et al., USENIX Security 2018 (via SecureNN Table 6)"),
        new Inference("B", "SecureNN", "3PC", 0, 0.13, 0.13, 0, 8.86, 8.86, "SecureNN Table 6"),
        new Inference("C", "SecureNN", "3PC", 0, 0.23, 0.23, 0, 18.94, 18.94, "SecureNN Table 6"),
        new Inference("D", "DeepSecure", "2PC", NA, NA, 9.67, NA, NA, 791, "Rouhani et al., DAC 2018 (via SecureNN Table 6)"),
        new Inference("D", "Chameleon", "3PC", 1.34, 1.36, 2.7, 7.8, 5.1, 12.9, "Riazi et al., AsiaCCS 2018 (via SecureNN Table 6)"),
        new Inference("D", "Gazelle", "2PC", 0.15, 0.05, 0.20, 5.9, 2.1, 8.0, "Juvekar et al., USENIX Security 2018 (via SecureNN Table 6)"),
        new Inference("D", "ABY3", "3PC", 0.006, 0.004, 0.01, NA, NA, 5.2, "Mohassel, Rindal, CCS 2018 (via SecureNN Table 6)"),
        new Inference("D", "SecureNN", "3PC", 0, 0.076, 0.076, 0, 4.05, 4.05, "SecureNN Table 6"));

    /** Table 7: SecureNN inference, LAN and WAN seconds and MB, for batch 1 and 128. */
    public record BatchInference(String network, double lan1, double lan128, double wan1, double wan128, double mb1, double mb128)
    {
    }

    public static final List<BatchInference> TABLE_7 = List.of(
        new BatchInference("A", 0.043, 0.38, 2.43, 2.79, 2.1, 29),
        new BatchInference("B", 0.13, 7.18, 3.93, 21.99, 8.86, 1066),
        new BatchInference("C", 0.23, 10.82, 4.08, 30.45, 18.94, 1550),
        new BatchInference("D", 0.076, 2.6, 3.06, 8.04, 4.05, 317.7));

    /** Table 8: SecureNN microbenchmarks, LAN and WAN ms and MB. */
    public record Micro(String protocol, String dims, double lanMs, double wanMs, double mb)
    {
    }

    public static final List<Micro> TABLE_8 = List.of(
        new Micro("Conv2d", "8, 5, 16, 50", 3.8, 28.4, 0.42), new Micro("Conv2d", "28, 3, 1, 20", 1.8, 26.5, 0.2),
        new Micro("Conv2d", "28, 5, 1, 20", 2.8, 27.5, 0.33), new Micro("MatMul", "1, 100, 1", 0.33, 25.2, 0.0032),
        new Micro("MatMul", "1, 500, 100", 4.8, 29.4, 0.81), new Micro("MatMul", "784, 128, 10", 9.7, 34.3, 1.69),
        new Micro("Maxpool", "8×8×50, 4×4", 59.7, 3062.2, 2.23), new Micro("Maxpool", "24×24×16, 2×2", 61.1, 672.6, 5.14),
        new Micro("Maxpool", "24×24×20, 2×2", 62.6, 685, 6.43), new Micro("DMP", "8×8×50, 4×4", 1.9, 51.6, 0.18),
        new Micro("DMP", "24×24×16, 2×2", 4.8, 54.2, 0.52), new Micro("DMP", "24×24×20, 2×2", 4.9, 55.2, 0.65),
        new Micro("DReLU", "64×16", 11.2, 161.9, 0.68), new Micro("DReLU", "128×128", 109.8, 288.7, 10.88),
        new Micro("DReLU", "576×20", 71.5, 232.9, 7.65), new Micro("ReLU", "64×16", 0.42, 25.3, 0.04),
        new Micro("ReLU", "128×128", 2.8, 27.1, 0.66), new Micro("ReLU", "576×20", 2.5, 26.6, 0.46));

    /** Tables 3 and 5: secure training of network A, batch 128, 15 epochs (hours), and per iteration. */
    public record Training(String network, String framework, double lanHours, double wanHours, int epochs, String citation)
    {
        /** 60,000 MNIST images per epoch at batch 128. */
        public double lanSecondsPerIteration()
        {
            return lanHours * 3600 / (epochs * (60_000 / 128));
        }
    }

    public static final List<Training> TRAINING = List.of(
        new Training("A", "SecureML 2PC", 81.7, 4336, 15, "Mohassel, Zhang, S&P 2017 (via SecureNN Table 5)"),
        new Training("A", "SecureML 3PC", 7.02, NA, 15, "Mohassel, Zhang, S&P 2017 (via SecureNN Table 5)"),
        new Training("A", "SecureNN", 1.03, 7.83, 15, "SecureNN Tables 3 and 5"),
        new Training("B", "SecureNN", 17.4, 53.98, 15, "SecureNN Table 3"),
        new Training("C", "SecureNN", 29.95, 91.99, 15, "SecureNN Table 3"));

    private Published()
    {
    }
}
