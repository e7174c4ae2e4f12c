package org.tessera.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.Density
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import androidx.compose.ui.use
import java.io.ByteArrayInputStream
import java.io.File
import javax.imageio.ImageIO
import org.jetbrains.skia.EncodedImageFormat
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Google Play's listing graphics, drawn from the launcher icon's vector drawables: the 512 x 512
 * icon and the 1024 x 500 feature graphic, written to `tessera.store.dir` (`cargo xtask
 * screenshots` puts them in the app's fastlane images folder).
 */
class StoreGraphicsTest {
    private val out = File(requireNotNull(System.getProperty("tessera.store.dir")) { "tessera.store.dir is not set" }).apply { mkdirs() }

    @Test
    fun theStoreIconIs512PixelsOfTheLauncherIcon() {
        val png = render(512, 512) { LauncherIcon.Icon(Modifier.fillMaxSize()) }
        val image = ImageIO.read(ByteArrayInputStream(png))
        assertEquals(512 to 512, image.width to image.height)
        // The corner is the background layer's blue, the upper-left tile's centre the white tile.
        assertEquals(0xFF1F5F8B.toInt(), image.getRGB(2, 2))
        assertEquals(0xFFFFFFFF.toInt(), image.getRGB(42 * 512 / 108, 42 * 512 / 108))
        File(out, "icon.png").writeBytes(png)
    }

    @Test
    fun theFeatureGraphicIs1024By500WithTheIconAndName() {
        val png = render(1024, 500) {
            Row(
                Modifier.fillMaxSize().background(TesseraLight.primary).padding(64.dp),
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(48.dp),
            ) {
                LauncherIcon.Icon(Modifier.size(260.dp).clip(RoundedCornerShape(56.dp)))
                Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
                    Text("Tessera", color = TesseraLight.onPrimary, fontSize = 72.sp, fontWeight = FontWeight.Bold)
                    Text("Your sign-in codes, on this device only", color = TesseraLight.primaryContainer, fontSize = 28.sp)
                }
            }
        }
        val image = ImageIO.read(ByteArrayInputStream(png))
        assertEquals(1024 to 500, image.width to image.height)
        val colours = (0 until image.width step 4).flatMap { x -> (0 until image.height step 4).map { y -> image.getRGB(x, y) } }.toSet()
        assertTrue(colours.size > 20, "the name and tagline are drawn (${colours.size} colours)")
        File(out, "featureGraphic.png").writeBytes(png)
    }

    private fun render(width: Int, height: Int, content: @Composable () -> Unit): ByteArray =
        ImageComposeScene(width, height, Density(1f)).use { scene ->
            scene.setContent { TesseraTheme(dark = false) { content() } }
            requireNotNull(scene.render().encodeToData(EncodedImageFormat.PNG)).bytes
        }
}
