package securenn.nn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images must fit the network's input geometry, not only its pixel count. */
class InputGeometryTest
{
    @Test
    void imagesOfTheSamePixelCountInAnotherGeometryShouldBeRefusedNamingBoth()
    {
        final NetworkSpec wide = NetworkSpec.parse("wide", "input 1 14 56\nfc 10\n");
        assertThatThrownBy(() -> wide.requireImages(28, 28, "mnist/t10k"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("the images in mnist/t10k are 28×28 (one channel)")
            .hasMessageContaining("network wide takes input 1×14×56");
    }

    @Test
    void aThreeChannelNetworkShouldRefuseGreyImages()
    {
        final NetworkSpec rgb = NetworkSpec.parse("rgb", "input 3 28 28\nfc 10\n");
        assertThatThrownBy(() -> rgb.requireImages(28, 28, "the bundled sample")).hasMessageContaining("takes input 3×28×28");
    }

    @Test
    void everyBuiltInNetworkShouldTakeMnistImages()
    {
        for (final String n : new String[]{"A", "B", "C", "D"})
        {
            assertThatCode(() -> NetworkSpec.builtIn(n).requireImages(28, 28, "mnist")).doesNotThrowAnyException();
        }
    }
}
