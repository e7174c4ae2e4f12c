package org.tessera.ui

import androidx.compose.runtime.Composable
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.unit.Density
import androidx.compose.ui.use
import java.io.ByteArrayInputStream
import java.io.File
import javax.imageio.ImageIO
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.jetbrains.skia.EncodedImageFormat
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Renders every page headless (Skia raster, no display) with realistic state from [Scenes],
 * checks each image holds a drawn page (not blank, not the same as another page), and writes
 * them as PNGs to the folder in the system property `tessera.screenshots.dir`
 * (`cargo xtask screenshots` points it at target/screenshots/android).
 */
class ScreensRenderTest {
    @Test
    fun everyPageRendersWithRealisticState() = runTest {
        val out = File(requireNotNull(System.getProperty("tessera.screenshots.dir")) { "tessera.screenshots.dir is not set" })
        out.mkdirs()
        val rendered = linkedMapOf<String, ByteArray>()
        Scenes(this, StandardTestDispatcher(testScheduler)) { name, content ->
            val png = renderPng(content)
            File(out, "$name.png").writeBytes(png)
            rendered[name] = png
        }.all()

        assertEquals(EXPECTED, rendered.keys.toList())
        for ((name, png) in rendered) {
            val image = ImageIO.read(ByteArrayInputStream(png))
            assertEquals(WIDTH_PX, image.width, name)
            val background = image.getRGB(image.width - 1, image.height - 1)
            var drawn = 0
            for (y in 0 until image.height step 2) {
                for (x in 0 until image.width step 2) {
                    if (image.getRGB(x, y) != background) drawn++
                }
            }
            val share = drawn.toDouble() / (image.width / 2 * (image.height / 2))
            assertTrue(share > 0.02, "$name looks blank: ${"%.4f".format(share)} of it drawn")
        }
        val distinct = rendered.values.map { it.contentHashCode() }.toSet()
        assertEquals(rendered.size, distinct.size, "two pages rendered the same image")
    }

    private fun renderPng(content: @Composable () -> Unit): ByteArray =
        ImageComposeScene(WIDTH_PX, HEIGHT_PX, Density(DENSITY)).use { scene ->
            scene.setContent { TesseraTheme(dark = false) { content() } }
            val image = scene.render()
            requireNotNull(image.encodeToData(EncodedImageFormat.PNG)).bytes
        }

    private companion object {
        const val DENSITY = 2.5f
        const val WIDTH_PX = 1080
        const val HEIGHT_PX = 2160

        val EXPECTED = listOf(
            "add-identity-scan", "add-identity-form", "set-pin", "confirm-pin", "registration-code",
            "recovery-key", "link-confirmation", "link-password", "identity-list", "challenge",
            "identity-details", "identity-remove", "reactivate", "settings", "unlock", "locked",
        )
    }
}
