package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.tessera.ffi.ActivationInput
import org.tessera.ffi.FlowStep
import org.tessera.ffi.Algorithm
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.ffi.totpCode

/**
 * Each refusal reaches Kotlin as its own TokenException subclass, with the field it belongs
 * beside and the core's words; after a refusal the flow stays at its step (or goes back to
 * choosing the PIN after a mismatch).
 */
class ErrorMappingTest {
    @Test
    fun serialWithABadCheckDigitIsRefusedBesideTheSerial() {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                val typo = ActivationInput("48244-13457", Seed.ACTIVATION, null, null, null, null)
                val error = assertThrows(TokenException.InvalidInput::class.java) { flow.enterActivation(typo) }
                assertEquals(InputField.SERIAL_NUMBER, error.field)
                assertEquals("the serial number has a typo: its check digit does not match", error.detail)
                assertEquals(error.toFieldError(), FieldError(InputField.SERIAL_NUMBER, error.detail))
                assertEquals(FlowStep.Start, flow.step())
            }
        }
    }

    @Test
    fun aPinMismatchGoesBackToChoosingThePin() {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                flow.enterActivation(seedActivation())
                flow.setPin(Seed.PIN)
                val error = assertThrows(TokenException.InvalidInput::class.java) { flow.confirmPin(Seed.NEW_PIN) }
                assertEquals(InputField.PIN, error.field)
                assertEquals("the two PINs are not the same: choose a PIN and type it twice", error.detail)
                assertEquals(FlowStep.NeedsPin, flow.step())

                val easy = assertThrows(TokenException.InvalidInput::class.java) { flow.setPin("1111") }
                assertEquals(InputField.PIN, easy.field)
                assertEquals("a PIN of one repeated digit is too easy to guess; choose another", easy.detail)

                val outOfStep = assertThrows(TokenException.WrongStep::class.java) { flow.finish() }
                assertEquals("this step does not come now: the flow is at \"choose a PIN\"", outOfStep.detail)
            }
        }
    }

    @Test
    fun aWrongLinkPasswordIsRefusedBesideThePassword() {
        val link = Vectors.file("identityguard.json").getJSONArray("links").objects().first()
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                assertEquals(FlowStep.NeedsPassword, flow.enterLink(link.getString("uri")))
                val error = assertThrows(TokenException.InvalidInput::class.java) { flow.enterPassword("11111111") }
                assertEquals(InputField.PASSWORD, error.field)
                assertEquals("the link password is wrong (or the link was changed)", error.detail)
                assertEquals(FlowStep.NeedsPassword, flow.step())
                // The right password still works after the refusal.
                assertEquals(FlowStep.NeedsPin, flow.enterPassword(link.getString("password")))
            }
        }
    }

    @Test
    fun sessionErrorsHaveTheirOwnTypes() {
        val (session, identity) = newOtpauthToken()
        session.use {
            val missing = assertThrows(TokenException.NotFound::class.java) { session.codeAt("no-such-id", Seed.T) }
            assertEquals(null, missing.toFieldError().field)

            val duplicate = session.addIdentity().use { flow ->
                assertThrows(TokenException.Duplicate::class.java) { flow.enterLink(Seed.OTPAUTH) }
            }
            assertEquals(duplicate.detail, duplicate.text())

            val badName = assertThrows(TokenException.InvalidInput::class.java) { session.rename(identity.id, "") }
            assertEquals(InputField.NAME, badName.field)

            session.lock()
            val notUnlocked = assertThrows(TokenException.NotUnlocked::class.java) { session.identities() }
            assertEquals(FieldError(InputField.PIN, notUnlocked.detail), notUnlocked.toFieldError(InputField.PIN))
            assertThrows(TokenException.NotUnlocked::class.java) { session.addIdentity() }
        }
        TokenSession(tokenFolder().toString(), null).use { empty ->
            assertThrows(TokenException.NoToken::class.java) { empty.unlock(Seed.PIN) }
        }
    }

    @Test
    fun theWordsOfEveryRefusalAreTheCoresWithoutASwitch() {
        val (session, _) = newOtpauthToken()
        session.use {
            session.lock()
            val wrongPin = assertThrows(TokenException.WrongPin::class.java) { session.unlock(Seed.NEW_PIN) }
            // Core's words (core/src/vault/error.rs), read through the one exported method.
            assertEquals("wrong PIN, 4 tries left before the token locks", wrongPin.text())
            assertEquals(FieldError(InputField.PIN, wrongPin.text()), wrongPin.toFieldError(InputField.PIN))
            val notUnlocked = assertThrows(TokenException.NotUnlocked::class.java) { session.identities() }
            assertEquals("the token is locked: unlock it with your PIN first", notUnlocked.text())
        }
    }

    @Test
    fun calculationErrorsNameTheirInput() {
        val secret = assertThrows(TokenException.InvalidInput::class.java) {
            totpCode("not base32 !", Algorithm.SHA1, 6u, 30u, Seed.T)
        }
        assertEquals(InputField.SECRET, secret.field)
        val digits = assertThrows(TokenException.InvalidInput::class.java) {
            totpCode("hex:3132333435363738393031323334353637383930", Algorithm.SHA1, 11u, 30u, Seed.T)
        }
        assertEquals(InputField.DIGITS, digits.field)
        // The Throwable message names every field, for logs.
        assertInstanceOf(String::class.java, digits.message)
        assertEquals(true, digits.message!!.contains(digits.detail))
    }
}
