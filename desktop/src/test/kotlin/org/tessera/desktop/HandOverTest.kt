package org.tessera.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runComposeUiTest
import androidx.compose.ui.window.application
import java.awt.Frame
import java.awt.KeyboardFocusManager
import java.awt.event.WindowEvent
import javax.swing.JFrame
import kotlin.concurrent.thread
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.swing.Swing
import kotlinx.coroutines.Dispatchers
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenStatus
import org.tessera.kit.AppPage
import org.tessera.kit.Shown

/**
 * A link a second launch hands over (`tessera-desktop LINK` from a browser while the app runs)
 * opens the running window's confirmation page and brings that window forward: restored, in
 * front of the window that covered it, and focused.
 */
@OptIn(ExperimentalTestApi::class)
class HandOverTest {
    @Test
    fun aLinkFromASecondLaunchOpensTheConfirmationPage() = runComposeUiTest {
        val socketFolder = tempFolder("tessera-desktop-run").resolve("run")
        DesktopUnderTest().use { desk ->
            first(socketFolder).use { instance ->
                instance.listen(desk.app::handedOver)
                setContent { DesktopContent(desk.app, desk.hooks) }
                waitForText("No identities yet")

                assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(socketFolder, Typed.OTPAUTH))
                waitForText("Add Example: alice@example.com?")
                assertEquals(1, desk.app.raiseRequests.value)
                assertEquals(TokenStatus.NoToken, desk.token.session.status(), "added before the person confirmed")

                // A launch without a link only asks for the window: the page stays.
                assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(socketFolder, null))
                waitUntil(timeoutMillis = 5_000) { desk.app.raiseRequests.value == 2 }
                onNodeWithText("Add Example: alice@example.com?").assertExists()

                onNodeWithText("Add").performClick()
                waitForText("Choose a PIN")
                choosePin()
                waitForText("Identity added")
                assertEquals(listOf("alice@example.com"), desk.token.session.identities().map { it.name })
            }
        }
    }

    @Test
    fun theRunningWindowComesForwardRestoredAndFocused() {
        val socketFolder = tempFolder("tessera-desktop-run").resolve("run")
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Swing)
        // The real window (TesseraWindow in Compose's application loop), wired as Main wires it.
        val app = DesktopApp(openToken(tempFolder("tessera-desktop-token")), scope, AwtClipboard())
        val loop = thread(name = "tessera-application") { application(exitProcessOnExit = false) { TesseraWindow(app) } }
        val cover = JFrame("Browser")
        try {
            first(socketFolder).use { instance ->
                instance.listen { handed -> scope.launch { app.handedOver(handed) } }
                val tessera = waitFor("the Tessera window") { Frame.getFrames().firstOrNull { it.title == "Tessera" && it.isShowing } }

                // Another program's window over it, then the Tessera window minimised.
                val inFront = coverAndMinimise(tessera, cover)

                assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(socketFolder, Typed.OTPAUTH))
                waitFor("Tessera's window in front") { inFront().takeIf { it } }
                waitFor("Tessera's window focused") {
                    onSwing { KeyboardFocusManager.getCurrentKeyboardFocusManager().focusedWindow }.takeIf { it === tessera }
                }
                assertEquals(0, onSwing { tessera.extendedState } and Frame.ICONIFIED, "the window is still minimised")
                val page = waitFor("the confirmation page") {
                    ((app.model.shown.value as? Shown.Page)?.page as? AppPage.Add)?.vm?.state?.value?.confirmLink
                }
                assertEquals("alice@example.com", page.name)
                assertEquals("Example", page.issuer)

                // Closing the window quits as the tray's Quit does (it also closes the app).
                onSwing { tessera.dispatchEvent(WindowEvent(tessera, WindowEvent.WINDOW_CLOSING)) }
                loop.join(10_000)
            }
        } finally {
            onSwing { cover.dispose() }
            scope.cancel()
        }
    }

    private fun first(folder: java.nio.file.Path): SingleInstance {
        val claim = SingleInstance.claim(folder, null)
        return (claim as? SingleInstance.Claim.First)?.instance ?: error("the first launch must listen, got $claim")
    }

}
