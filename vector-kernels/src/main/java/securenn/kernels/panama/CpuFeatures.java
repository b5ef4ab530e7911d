package securenn.kernels.panama;

import securenn.kernels.Compaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The x86 instruction-set extensions of this CPU, from Linux's {@code /proc/cpuinfo} (empty elsewhere): the Vector
 * API compiles an operation to an instruction only where the CPU has it, and runs a Java loop orders of magnitude
 * slower otherwise, without a word. Kernels that depend on such an operation ask here first; the JVM's own switches
 * ({@code -XX:UseAVX}, {@code -XX:-UseBMI2Instructions}) count too, since C2 emits only what they allow.
 */
final class CpuFeatures
{
    private static final List<String> CPUINFO = read();
    private static final Set<String> FLAGS = flags();

    private CpuFeatures()
    {
    }

    /**
     * Whether byte-lane {@code compress} has an instruction (AVX-512 VBMI2's {@code vpcompressb}; with VL for vectors
     * below 512 bits). AVX2 CPUs such as AMD Zen 3 lack it, and there it runs the Vector API's Java fallback.
     */
    static boolean byteCompress()
    {
        return FLAGS.contains("avx512_vbmi2") && FLAGS.contains("avx512vl") && avx512Enabled();
    }

    /**
     * Whether 64-bit lanes have a multiply instruction (AVX-512 DQ's {@code vpmullq}; the Vector API uses it with
     * AVX-512 VL for vectors below 512 bits, and every AVX-512 DQ CPU has VL). AVX2 CPUs such as AMD Zen 3 lack it,
     * and there {@code LongVector.mul} compiles to a 7-instruction emulation.
     */
    static boolean laneMultiply64()
    {
        // unknown flags (not Linux, not x86): keep the 64-bit lane kernel, as before the 32-bit one existed
        return FLAGS.isEmpty() || FLAGS.contains("avx512dq") && avx512Enabled();
    }

    /**
     * Whether the JVM uses AVX-512 at all: {@code -XX:UseAVX=2} on an AVX-512 CPU makes C2 emit AVX2 code, and then
     * neither {@code vpcompressb} nor {@code vpmullq} exists for it.
     */
    private static boolean avx512Enabled()
    {
        return vmOption("UseAVX").map(v -> Integer.parseInt(v) >= 3).orElse(true);
    }

    /**
     * Whether {@code vpmullq} is also fast enough to beat 32-bit halves in GEMM: not on Intel, whose AVX-512 cores
     * (Skylake-SP to Sapphire Rapids) decode it into 3 µops, one vector per 1.5 cycles; there {@link Mul32Gemm}'s
     * kernel ran 5–80% faster for k ≥ 50 (2-core Intel Xeon, 2026-12-02; see {@link VectorGemm}). AMD's Zen 4 and
     * Zen 5 keep it (the Zen 5 reports were measured with it).
     */
    static boolean fastLaneMultiply64()
    {
        return laneMultiply64() && !field("vendor_id").equals("GenuineIntel");
    }

    /** Whether the JVM emits BMI2 instructions ({@code -XX:-UseBMI2Instructions} turns them off). */
    private static boolean bmi2Enabled()
    {
        return vmOption("UseBMI2Instructions").map(Boolean::parseBoolean).orElse(true);
    }

    private static java.util.Optional<String> vmOption(final String name)
    {
        try
        {
            return java.util.Optional.of(java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue());
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return java.util.Optional.empty();
        }
    }

    /**
     * Whether {@code Long.compress} ({@code pext}) is one fast instruction: BMI2, except on AMD before Zen 3 (family
     * 0x19), whose {@code pext} is microcoded and takes up to hundreds of cycles (also Hygon's Zen 1 derivatives).
     */
    static boolean fastBitExtract()
    {
        if (!FLAGS.contains("bmi2") || !bmi2Enabled())
        {
            return false;
        }
        final String vendor = field("vendor_id");
        final boolean amdLike = vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine");
        return !amdLike || family() >= 0x19;
    }

    /** The fastest Z_67 compaction this CPU runs without a Java fallback. */
    static Compaction compaction()
    {
        if (byteCompress())
        {
            return Compaction.VECTOR_COMPRESS;
        }
        return fastBitExtract() ? Compaction.BIT_EXTRACT : Compaction.LANE_MOVES;
    }

    private static int family()
    {
        try
        {
            return Integer.parseInt(field("cpu family"));
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    /** The first value of a {@code /proc/cpuinfo} field, or "" if absent. */
    private static String field(final String name)
    {
        return CPUINFO.stream()
            .filter(l -> l.startsWith(name) && l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).trim().equals(name))
            .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
    }

    private static Set<String> flags()
    {
        return Stream.of(field("flags").split("\\s+")).filter(f -> !f.isEmpty()).collect(Collectors.toSet());
    }

    private static List<String> read()
    {
        final Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo))
        {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(cpuinfo))
        {
            // the first processor's block: every core of one machine reports the same features
            return lines.takeWhile(l -> !l.isBlank()).toList();
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
    }
}
