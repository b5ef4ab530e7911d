package securenn.kernels.panama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The x86 instruction-set extensions of this CPU, from Linux's {@code /proc/cpuinfo} (empty elsewhere): the Vector
 * API compiles an operation to an instruction only where the CPU has it, and runs a Java loop orders of magnitude
 * slower otherwise, without a word. Kernels that depend on such an operation ask here first.
 */
final class CpuFeatures
{
    private static final Set<String> FLAGS = read();

    private CpuFeatures()
    {
    }

    /**
     * Whether byte-lane {@code compress} has an instruction (AVX-512 VBMI2's {@code vpcompressb}; with VL for vectors
     * below 512 bits). AVX2 CPUs such as AMD Zen 3 lack it, and there it runs the Vector API's Java fallback.
     */
    static boolean byteCompress()
    {
        return FLAGS.contains("avx512_vbmi2") && FLAGS.contains("avx512vl");
    }

    /**
     * Whether 64-bit lanes have a multiply instruction (AVX-512 DQ's {@code vpmullq}; the Vector API uses it with
     * AVX-512 VL for vectors below 512 bits, and every AVX-512 DQ CPU has VL). AVX2 CPUs such as AMD Zen 3 lack it,
     * and there {@code LongVector.mul} compiles to a 7-instruction emulation.
     */
    static boolean laneMultiply64()
    {
        return FLAGS.contains("avx512dq");
    }

    private static Set<String> read()
    {
        final Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo))
        {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(cpuinfo))
        {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                .map(l -> Stream.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
                .orElse(Set.of());
        }
        catch (final IOException | RuntimeException ex)
        {
            return Set.of();
        }
    }
}
