package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The decoders we rely on are the ones ImageIO finds: TwelveMonkeys registers through
 * META-INF/services, which a repackaged jar could lose (the server keeps each jar whole in lib/).
 */
class ImageIoPluginsTest {
  @Test
  void twelveMonkeysReadersAreFirst_andEveryJavaFormatHasOne() {
    assertThat(HeaderReader.reader(ImageFormat.JPEG).getClass().getName())
        .startsWith("com.twelvemonkeys.imageio.plugins.jpeg.");
    assertThat(HeaderReader.reader(ImageFormat.WEBP).getClass().getName())
        .startsWith("com.twelvemonkeys.imageio.plugins.webp.");
    for (ImageFormat f : EnumSet.of(ImageFormat.PNG, ImageFormat.GIF)) {
      assertThat(HeaderReader.reader(f)).isNotNull();
    }
  }
}
