package securenn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Im2ColTest
{
    /** Convolution through im2col and the vector GEMM equals a direct convolution, in NCHW / channel-major order. */
    @ParameterizedTest(name = "N={0} C={1} {2}×{3} k={4} s={5} p={6} Cout={7}")
    @CsvSource({
        "1,1,28,28,5,1,0,20", "2,1,28,28,5,2,2,5", "2,16,8,8,5,1,0,50", "3,2,7,9,3,2,1,4", "1,3,5,5,5,1,2,2", "2,1,4,4,1,1,0,3"})
    void convolutionAsGemmShouldEqualDirectConvolution(final int batch, final int channels, final int h, final int w,
        final int kernel, final int stride, final int pad, final int cout)
    {
        final ConvShape s = new ConvShape(batch, channels, h, w, kernel, kernel, stride, pad);
        final long seed = 5000L + s.hashCode();
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment image = TestData.longs(arena, s.imageElements(), rnd);
            final MemorySegment weights = TestData.longs(arena, (long)cout * s.patchSize(), rnd);
            final MemorySegment cols = arena.allocate((long)s.patchSize() * s.columns() * 8);
            cols.fill((byte)0x5A); // every entry must be overwritten
            Im2Col.im2col(s, image, cols);
            final MemorySegment out = arena.allocate((long)cout * s.columns() * 8);
            Kernels.vector().gemm().multiply(weights, Transpose.NO, cols, Transpose.NO, out, cout, s.patchSize(), s.columns(), false);
            final int oh = s.outHeight(), ow = s.outWidth();
            for (int co = 0; co < cout; co++)
            {
                for (int n = 0; n < batch; n++)
                {
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            long sum = 0;
                            for (int c = 0; c < channels; c++)
                            {
                                for (int ky = 0; ky < kernel; ky++)
                                {
                                    for (int kx = 0; kx < kernel; kx++)
                                    {
                                        final int y = oy * stride + ky - pad, x = ox * stride + kx - pad;
                                        if (y >= 0 && y < h && x >= 0 && x < w)
                                        {
                                            sum += weights.getAtIndex(Ring.LONG, ((long)co * channels + c) * kernel * kernel + ky * kernel + kx)
                                                * image.getAtIndex(Ring.LONG, (((long)n * channels + c) * h + y) * w + x);
                                        }
                                    }
                                }
                            }
                            final long col = ((long)n * oh + oy) * ow + ox;
                            assertThat(out.getAtIndex(Ring.LONG, co * (long)s.columns() + col))
                                .as("seed %d %s out[%d][%d][%d][%d]", seed, s, co, n, oy, ox).isEqualTo(sum);
                        }
                    }
                }
            }
        }
    }

    /** col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ exactly in Z_{2^64}. */
    @ParameterizedTest(name = "N={0} C={1} {2}×{3} k={4} s={5} p={6}")
    @CsvSource({"2,3,8,8,3,1,1", "1,2,9,7,5,2,2", "2,1,6,6,2,2,0", "1,1,5,5,5,3,2"})
    void col2imShouldBeTheAdjointOfIm2col(final int batch, final int channels, final int h, final int w,
        final int kernel, final int stride, final int pad)
    {
        final ConvShape s = new ConvShape(batch, channels, h, w, kernel, kernel, stride, pad);
        final long seed = 6000L + s.hashCode();
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final long colsLen = (long)s.patchSize() * s.columns();
            final MemorySegment x = TestData.longs(arena, s.imageElements(), rnd);
            final MemorySegment y = TestData.longs(arena, colsLen, rnd);
            final MemorySegment cols = arena.allocate(colsLen * 8);
            final MemorySegment back = arena.allocate(s.imageElements() * 8);
            Im2Col.im2col(s, x, cols);
            Im2Col.col2imAdd(s, y, back);
            long left = 0, right = 0;
            for (long i = 0; i < colsLen; i++)
            {
                left += cols.getAtIndex(Ring.LONG, i) * y.getAtIndex(Ring.LONG, i);
            }
            for (long i = 0; i < s.imageElements(); i++)
            {
                right += x.getAtIndex(Ring.LONG, i) * back.getAtIndex(Ring.LONG, i);
            }
            assertThat(left).as("seed %d %s", seed, s).isEqualTo(right);
        }
    }

    @Test
    void shouldRejectBadShapes()
    {
        assertThatThrownBy(() -> new ConvShape(1, 1, 4, 4, 5, 5, 1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel 5×5 is larger than the padded image 4×4");
        assertThatThrownBy(() -> new ConvShape(1, 0, 4, 4, 3, 3, 1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels must be > 0");
        try (Arena arena = Arena.ofConfined())
        {
            final ConvShape s = new ConvShape(1, 1, 4, 4, 3, 3, 1, 0);
            assertThatThrownBy(() -> Im2Col.im2col(s, arena.allocate(16 * 8), arena.allocate(35 * 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cols holds 35 longs")
                .hasMessageContaining("needs 36");
        }
    }
}
