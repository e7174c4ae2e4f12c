package org.tessera.desktop

import androidx.compose.ui.input.key.Key
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performKeyInput
import androidx.compose.ui.test.performTextClearance
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.pressKey
import androidx.compose.ui.test.runComposeUiTest
import androidx.compose.ui.test.withKeyDown
import java.awt.Toolkit
import java.awt.datatransfer.DataFlavor
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import kotlin.time.Duration.Companion.minutes
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/**
 * The seed's flow through Tessera Desktop's window contents, over the real native library (built
 * with the desktop device key) and the real system clipboard, typed and clicked as a person
 * would: the activation data the organisation's issuer made, a PIN set and confirmed, the
 * registration code the issuer accepts, a code revealed and copied with Ctrl+C (and cleared
 * from the clipboard 30 s later), a challenge answered (by the issuer's challenge identity,
 * added from its link), five wrong PINs, the issuer's unlock
 * code and a new PIN. Every code the window shows is checked by the issuer, never by the test.
 */
@OptIn(ExperimentalTestApi::class)
class SeedFlowDesktopTest {
    private fun clipboardText(): String? = try {
        Toolkit.getDefaultToolkit().systemClipboard.getData(DataFlavor.stringFlavor) as String
    } catch (_: Exception) {
        null
    }

    @Test
    fun theSeedsFlowWithTheKeyboard() = runComposeUiTest(testTimeout = 4.minutes) {
        val issuer = issuer()
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }

            // The suite runs with a real Secret Service (an unlocked gnome-keyring on a private
            // bus): the device key is kept there and the window has nothing to warn about.
            assertNull(desk.token.keystoreUnavailable)
            onNodeWithTag("keystore-warning").assertDoesNotExist()

            waitForText("No identities yet")
            onNodeWithText("Add identity").performClick()
            waitForText("Type the codes")
            onNodeWithText("Type the codes").performClick()
            field("Serial number").performTextInput(issued.serial)
            field("Activation code").performTextInput(issued.activationCode)
            field("Address (optional)").performTextInput(Typed.ADDRESS)
            field("Activation code").performKeyInput { pressKey(Key.Enter) }

            waitForText("Choose a PIN")
            choosePin()

            waitForText("Registration code")
            val registration = textMatching(Regex("""\d{5}-\d{5}"""))
            // The organisation's enrolment page accepts what the window showed.
            issuer.complete(issued.serial, registration)
            onNodeWithText("Next").performClick()
            waitForText("Identity added")
            onNodeWithText("Done").performClick()

            waitForText("Tap to show the code")
            onNodeWithText("Tap to show the code").performClick()
            waitUntil(timeoutMillis = 10_000) { texts().any { Regex("""\d{3} \d{3}""").matches(it) } }
            val shown = textMatching(Regex("""\d{3} \d{3}""")).replace(" ", "")
            assertTrue(issuer.verify(issued.serial, shown, now()) in -1L..1L)

            // The test waits 30 s without input below: longer than the default idle lock
            // (IdleLockTest tests that), so the idle time is set longer first.
            desk.token.session.setAutoLockSeconds(600u)
            onRoot().performKeyInput { withKeyDown(Key.CtrlLeft) { pressKey(Key.C) } }
            waitUntil(timeoutMillis = 5_000) { clipboardText() == shown }
            // Cleared 30 s later, since the clipboard still holds that code.
            waitUntil(timeoutMillis = 45_000) { clipboardText().isNullOrEmpty() }

            // Typed activation data carry no challenge suite: the bank's challenge identity
            // comes as an activation link with its password, added beside the first.
            val bank = issuer.create("Acme Bank", 8u, null, "OCRA-1:HOTP-SHA256-8:C-QN08", null)
            onNodeWithContentDescription("Add identity").performClick()
            waitForText("Paste a link")
            onNodeWithText("Paste a link").performClick()
            field("Link").performTextInput(bank.link)
            field("Link").performKeyInput { pressKey(Key.Enter) }
            waitForText("Add identity?")
            onNodeWithText("Add").performClick()
            waitForText("Link password")
            field("Password").performTextInput(bank.password)
            field("Password").performKeyInput { pressKey(Key.Enter) }
            waitForText("Registration code")
            issuer.complete(bank.serial, textMatching(Regex("""\d{5}-\d{5}""")))
            onNodeWithText("Next").performClick()
            waitForText("Identity added")
            onNodeWithText("Done").performClick()
            waitForText("Challenge")

            onNodeWithText("Challenge").performClick()
            waitForText("Type the challenge the service shows you.")
            val challenge = issuer.issueChallenge(bank.serial, now())
            field("Challenge").performTextInput(challenge)
            field("Challenge").performKeyInput { pressKey(Key.Enter) }
            waitForText("Response")
            val response = textMatching(Regex("""\d{4} \d{4}"""))
            issuer.verifyResponse(bank.serial, challenge, response.filter(Char::isDigit), now())
            onRoot().performKeyInput { pressKey(Key.Escape) }
            waitForText("Details")

            onNodeWithContentDescription("Lock").performClick()
            waitForText("Unlock Tessera")
            for (left in 4 downTo 1) {
                field("PIN").performTextClearance()
                field("PIN").performTextInput(Typed.WRONG_PIN)
                field("PIN").performKeyInput { pressKey(Key.Enter) }
                waitForText("Wrong PIN, $left ${if (left == 1) "try" else "tries"} left", substring = true)
            }
            field("PIN").performTextClearance()
            field("PIN").performTextInput(Typed.WRONG_PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }
            waitForText("Token locked")

            val all = texts()
            val resetCode = all[all.indexOf("Reset code") + 1]
            val unlockCode = issuer.unlockCode(issued.serial, resetCode.filter(Char::isDigit))
            field("Unlock code").performTextInput(unlockCode)
            field("New PIN").performTextInput(Typed.NEW_PIN)
            onNodeWithText("Unlock and set the new PIN").performClick()
            waitForText("Challenge")

            // The new PIN opens the token; the old one no longer does.
            onNodeWithContentDescription("Lock").performClick()
            waitForText("Unlock Tessera")
            field("PIN").performTextInput(Typed.PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }
            waitForText("Wrong PIN, 4 tries left", substring = true)
            field("PIN").performTextClearance()
            field("PIN").performTextInput(Typed.NEW_PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }
            waitForText("Challenge")
            assertEquals(listOf(issued.serial, bank.serial), desk.token.session.identities().map { it.serial })

            // A copy of the token's folder does not open with the PIN alone: the device key in
            // the keystore seals it too.
            val copy = tempFolder("tessera-desktop-copy")
            desk.folder.toFile().copyRecursively(copy.toFile(), overwrite = true)
            TokenSession(copy.toString(), null).use { stolen ->
                assertThrows(TokenException::class.java) { stolen.unlock(Typed.NEW_PIN) }
            }
        }
    }
}
