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
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The seed's flow through Tessera Desktop's window contents, over the real native library (built
 * with the desktop device key) and the real system clipboard, typed and clicked as a person
 * would: the activation data the organisation's issuer made, a PIN set and confirmed, the
 * registration code the issuer accepts, a code revealed and copied with Ctrl+C (and cleared
 * from the clipboard 30 s later), a challenge answered, five wrong PINs, the issuer's unlock
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
    fun theSeedsFlowWithTheKeyboard() = runComposeUiTest {
        val issuer = issuer()
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }

            // The suite runs on a private session bus without a Secret Service: the window says
            // that only the PIN protects a copy of the token's file.
            assertNotNull(desk.token.keystoreUnavailable)
            onNodeWithTag("keystore-warning").assertExists()
            onNodeWithText("only your PIN protects a copy of its file", substring = true).assertExists()

            waitForText("No identities yet")
            onNodeWithText("Add identity").performClick()
            waitForText("Type the codes")
            onNodeWithText("Type the codes").performClick()
            field("Serial number").performTextInput(issued.serial)
            field("Activation code").performTextInput(issued.activationCode)
            field("Address (optional)").performTextInput(Typed.ADDRESS)
            field("Activation code").performKeyInput { pressKey(Key.Enter) }

            waitForText("Choose a PIN")
            field("PIN").performTextInput(Typed.PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }
            waitForText("Confirm your PIN")
            field("PIN").performTextInput(Typed.PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }

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

            onRoot().performKeyInput { withKeyDown(Key.CtrlLeft) { pressKey(Key.C) } }
            waitUntil(timeoutMillis = 5_000) { clipboardText() == shown }
            // Cleared 30 s later, since the clipboard still holds that code.
            waitUntil(timeoutMillis = 45_000) { clipboardText().isNullOrEmpty() }

            onNodeWithText("Challenge").performClick()
            waitForText("Type the challenge the service shows you.")
            val challenge = issuer.issueChallenge(issued.serial, now())
            field("Challenge").performTextInput(challenge)
            field("Challenge").performKeyInput { pressKey(Key.Enter) }
            waitForText("Response")
            val response = textMatching(Regex("""\d{4} \d{4}"""))
            issuer.verifyResponse(issued.serial, challenge, response.filter(Char::isDigit), now())
            onRoot().performKeyInput { pressKey(Key.Escape) }
            waitForText("Tap to show the code")

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
            waitForText("Tap to show the code")

            // The new PIN opens the token; the old one no longer does.
            onNodeWithContentDescription("Lock").performClick()
            waitForText("Unlock Tessera")
            field("PIN").performTextInput(Typed.PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }
            waitForText("Wrong PIN, 4 tries left", substring = true)
            field("PIN").performTextClearance()
            field("PIN").performTextInput(Typed.NEW_PIN)
            field("PIN").performKeyInput { pressKey(Key.Enter) }
            waitForText("Tap to show the code")
            assertEquals(1, desk.token.session.identities().size)
        }
    }
}
