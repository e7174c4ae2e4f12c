package org.tessera.desktop

import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.input.key.Key
import androidx.compose.ui.test.DesktopComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performKeyInput
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.pressKey
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.test.withKeyDown
import java.io.File
import javax.imageio.ImageIO
import org.junit.jupiter.api.Assertions.assertTrue
import kotlin.time.Duration.Companion.minutes
import org.junit.jupiter.api.Test

/**
 * Tessera Desktop's window pages at the window's first size, light and dark, written to
 * `tessera.screenshots.dir` (`cargo xtask screenshots`: target/screenshots/desktop). The state
 * is real: a token made through the pages over the native library, with the issuer's identity.
 */
@OptIn(ExperimentalTestApi::class)
class DesktopScreenshotsTest {
    private val out = File(System.getProperty("tessera.screenshots.dir")).also { it.mkdirs() }

    private fun DesktopComposeUiTest.shoot(name: String) {
        waitForIdle()
        val image = onRoot().captureToImage().toAwtImage()
        val file = File(out, "$name.png")
        ImageIO.write(image, "png", file)
        // A page, not a blank window: more than one colour on it.
        val colours = (0 until image.height step 7).flatMap { y -> (0 until image.width step 7).map { x -> image.getRGB(x, y) } }.toSet()
        assertTrue(colours.size > 2, "$name is blank")
    }

    private fun render(dark: Boolean, suffix: String) = runDesktopComposeUiTest(WIDTH, HEIGHT, testTimeout = 3.minutes) {
        val issuer = issuer()
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks, dark = dark) }
            waitForText("No identities yet")
            shoot("first-run$suffix")
            onNodeWithText("Add identity").performClick()
            waitForText("Scan the screen")
            shoot("add-identity$suffix")

            desk.app.openLink(issued.link)
            waitForText("Add identity?")
            shoot("confirm-link$suffix")
            onNodeWithText("Add").performClick()
            waitForText("Link password")
            field("Password").performTextInput(issued.password)
            field("Password").performKeyInput { pressKey(Key.Enter) }
            waitForText("Choose a PIN")
            choosePin()
            waitForText("Registration code")
            shoot("registration-code$suffix")
            onNodeWithText("Next").performClick()
            waitForText("Identity added")
            onNodeWithText("Done").performClick()

            desk.app.openLink(Typed.OTPAUTH)
            waitForText("Add Example: alice@example.com?")
            onNodeWithText("Add").performClick()
            waitForText("Identity added")
            onNodeWithText("Done").performClick()
            waitForText("alice@example.com")
            onAllNodesWithText("Tap to show the code")[0].performClick()
            waitUntil(timeoutMillis = 10_000) { texts().any { Regex("""\d{3} \d{3}""").matches(it) } }
            shoot("identity-list$suffix")

            onRoot().performKeyInput { withKeyDown(Key.CtrlLeft) { pressKey(Key.F) } }
            onNodeWithTag("search").performTextInput("alice")
            waitUntil(timeoutMillis = 5_000) { onAllNodesWithText("myid.example.edu").fetchSemanticsNodes().isEmpty() }
            shoot("search$suffix")
            onRoot().performKeyInput { pressKey(Key.Escape) }

            desk.app.model.lock()
            waitForText("Unlock Tessera")
            shoot("unlock$suffix")
        }
    }

    @Test
    fun theWindowsPagesLight() = render(dark = false, suffix = "")

    @Test
    fun theWindowsPagesDark() = render(dark = true, suffix = "-dark")

    private companion object {
        /** The window's first size (DesktopWindow). */
        const val WIDTH = 480
        const val HEIGHT = 780
    }
}
