package org.tessera.desktop

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isRoot
import androidx.compose.ui.input.key.Key
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performKeyInput
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.pressKey
import com.google.zxing.BarcodeFormat
import com.google.zxing.qrcode.QRCodeWriter
import java.awt.Color
import java.awt.Frame
import java.awt.Point
import java.awt.Robot
import java.awt.image.BufferedImage
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import javax.swing.JFrame
import javax.swing.SwingUtilities
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.tessera.ffi.IssuedIdentity
import org.tessera.ffi.Issuer

/** Values the desktop tests type, as a person would. */
object Typed {
    const val PIN = "4739"
    const val NEW_PIN = "8264"
    const val WRONG_PIN = "0852"
    const val ADDRESS = "https://myid.example.edu/igst"
    const val OTPAUTH = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example"
}

/** A new empty folder for a token or an issuer. */
fun tempFolder(prefix: String): Path = Files.createTempDirectory(prefix)

/** The organisation's side, through the bindings: it issues the activation data the tests type or scan. */
fun issuer(): Issuer = Issuer.open(tempFolder("tessera-desktop-issuer").toString(), "issuer passphrase for desktop tests")

/** An IdentityGuard identity that also answers challenges (an OCRA suite), for the seed's flow. */
fun Issuer.issueSeedIdentity(): IssuedIdentity = create("Work", 6u, null, "OCRA-1:HOTP-SHA256-8:C-QN08", Typed.ADDRESS)

/** Now, for the issuer's checks of codes the window showed. */
fun now(): ULong = (System.currentTimeMillis() / 1000).toULong()

/**
 * Tessera Desktop over a new token folder, opened as Main opens it (the system keystore when
 * there is one) with the real system clipboard, and the window's hooks the test chooses.
 */
class DesktopUnderTest(
    screens: ScreenSource = RobotScreens,
    val folder: Path = tempFolder("tessera-desktop-token"),
    windows: WindowSource? = platformWindows(),
) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val token = openToken(folder)
    val clipboard = AwtClipboard()
    val app = DesktopApp(token, scope, clipboard, screens, windows)
    var chosenFile: File? = null
    val hooks = DesktopHooks(chooseImageFile = { chosenFile }, pastedImage = ::clipboardImage)

    override fun close() {
        app.close()
        scope.cancel()
    }
}

/** A covering window's colour, which no page of Tessera's uses. */
val COVER = Color(255, 0, 255)

/**
 * Puts [cover] (another program's window, in [COVER]) over [tessera] and minimises Tessera's,
 * waiting until the screen shows both; gives back whether the screen at the window's centre is
 * Tessera's own again (restored and in front).
 */
fun coverAndMinimise(tessera: Frame, cover: JFrame): () -> Boolean {
    val centre = onSwing {
        tessera.locationOnScreen.let { Point(it.x + tessera.width / 2, it.y + tessera.height / 2) }
    }
    onSwing {
        cover.contentPane.background = COVER
        cover.bounds = tessera.bounds
        cover.isVisible = true
        cover.toFront()
        cover.requestFocus()
        tessera.extendedState = Frame.ICONIFIED
    }
    val robot = Robot()
    waitFor("the other window to cover Tessera's") { robot.getPixelColor(centre.x, centre.y).takeIf { it == COVER } }
    waitFor("the Tessera window minimised") { onSwing { tessera.extendedState and Frame.ICONIFIED }.takeIf { it != 0 } }
    return { robot.getPixelColor(centre.x, centre.y) != COVER }
}

/** Runs [block] on the AWT event thread and gives back what it returned or threw. */
fun <T> onSwing(block: () -> T): T {
    var result: Result<T>? = null
    SwingUtilities.invokeAndWait { result = runCatching(block) }
    return result!!.getOrThrow()
}

/** Asks [probe] every 50 ms until it gives a value; fails naming [what] after [seconds]. */
fun <T : Any> waitFor(what: String, seconds: Long = 20, probe: () -> T?): T {
    val deadline = System.currentTimeMillis() + seconds * 1000
    while (System.currentTimeMillis() < deadline) {
        probe()?.let { return it }
        Thread.sleep(50)
    }
    error("waited $seconds s for $what")
}

/** On "Choose a PIN": types [Typed.PIN], Enter, and the same again on "Confirm your PIN". */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.choosePin() {
    field("PIN").performTextInput(Typed.PIN)
    field("PIN").performKeyInput { pressKey(Key.Enter) }
    waitForText("Confirm your PIN")
    field("PIN").performTextInput(Typed.PIN)
    field("PIN").performKeyInput { pressKey(Key.Enter) }
}

/** From the identity list: Add identity, then "Scan a window…" once it is offered. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.openWindowScan() {
    onNodeWithText("Add identity").performClick()
    waitForText("Scan a window…")
    onNodeWithText("Scan a window…").performClick()
}

/** The text field labelled [label]. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.field(label: String): SemanticsNodeInteraction = onNode(hasSetTextAction() and hasText(label))

/** Waits (up to [seconds]) until some node shows [text]. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.waitForText(text: String, seconds: Long = 20, substring: Boolean = false) =
    waitUntil(timeoutMillis = seconds * 1000) { onAllNodesWithText(text, substring = substring).fetchSemanticsNodes().isNotEmpty() }

/** Every text on screen, in drawing order (merged nodes' texts one after another). */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.texts(): List<String> =
    onNode(isRoot()).fetchSemanticsNode().let { root ->
        val out = mutableListOf<String>()
        fun walk(node: androidx.compose.ui.semantics.SemanticsNode) {
            node.config.getOrNull(SemanticsProperties.Text)?.forEach { out += it.text }
            node.children.forEach(::walk)
        }
        walk(root)
        out
    }

/** The first text on screen that [pattern] matches whole. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.textMatching(pattern: Regex): String =
    texts().firstOrNull { pattern.matches(it) } ?: error("no text matches $pattern in ${texts()}")

/** [text] as a QR code (ZXing's encoder, independent of the core's reader), black on white with a quiet zone. */
fun qrImage(text: String, size: Int = 360): BufferedImage {
    val matrix = QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size)
    val image = BufferedImage(size, size, BufferedImage.TYPE_INT_RGB)
    for (y in 0 until size) for (x in 0 until size) {
        image.setRGB(x, y, if (matrix.get(x, y)) 0x000000 else 0xFFFFFF)
    }
    return image
}
