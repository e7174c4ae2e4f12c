package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.IdentityKindLabel
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenStatus
import org.tessera.ffi.identityguardCode

/**
 * The seed's whole story through the Kotlin bindings: a new token in an empty folder, the
 * typed activation data, a PIN set and confirmed, the registration code shown, the identity
 * saved with a recovery key; codes equal to the issuer's computation; wrong PINs, the lockout
 * with its reset code, and the way back with the recovery key.
 */
class SeedFlowTest {
    @Test
    fun seedFlowLockoutAndRecovery() {
        val folder = tokenFolder()
        TokenSession(folder.toString(), null).use { session ->
            assertEquals(TokenStatus.NoToken, session.status())

            val flow = session.addIdentity()
            assertEquals(FlowStep.Start, flow.step())
            assertEquals(FlowStep.NeedsPin, flow.enterActivation(seedActivation()))
            assertEquals(FlowStep.ConfirmPin, flow.setPin(Seed.PIN))
            val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, flow.confirmPin(Seed.PIN))
            assertEquals("myid.example.edu", shown.name)
            assertTrue(Regex("""\d{5}-\d{5}""").matches(shown.registrationCode), shown.registrationCode)
            // Nothing is saved before finish.
            assertEquals(TokenStatus.NoToken, session.status())

            val done = assertInstanceOf(FlowStep.Done::class.java, flow.finish())
            flow.close()
            val recoveryKey = requireNotNull(done.recoveryKey)
            val identity = done.identity
            assertEquals(IdentityKindLabel.IDENTITY_GUARD, identity.kind)
            assertEquals("myid.example.edu", identity.name)
            assertEquals(Seed.ADDRESS, identity.address)
            assertEquals(shown.registrationCode, identity.registrationCode)
            assertEquals(6.toUByte(), identity.digits)
            assertEquals(30u, identity.period)
            assertEquals(TokenStatus.Unlocked, session.status())
            assertEquals(listOf(identity), session.identities())

            // The issuer's computation, from what the person typed and the code the token showed.
            val times = listOf(Seed.T, Seed.T + 30uL, Seed.T + 3_600uL, 2_000_000_000uL)
            val issuer = times.map {
                identityguardCode(Seed.SERIAL, Seed.ACTIVATION, shown.registrationCode, null, 6u, it)
            }
            assertEquals(issuer, times.map { session.codeAt(identity.id, it).code })
            val code = session.codeAt(identity.id, Seed.T)
            assertEquals(30u, code.period)
            assertEquals(Seed.T - Seed.T % 30uL, code.validFrom)
            assertEquals(code.validFrom!! + 30uL, code.validUntil)
            assertEquals(10u, code.secondsLeft) // 1_700_000_000 is 20 s into its period

            session.lock()
            assertThrows(TokenException.NotUnlocked::class.java) { session.codeAt(identity.id, Seed.T) }
            assertEquals(TokenStatus.NeedsPin(5u), session.status())

            val first = assertThrows(TokenException.WrongPin::class.java) { session.unlock(Seed.WRONG_PIN) }
            assertEquals(4u, first.attemptsLeft)
            assertEquals("wrong PIN, 4 tries left before the token locks", first.detail)
            for (left in 3 downTo 1) {
                val wrong = assertThrows(TokenException.WrongPin::class.java) { session.unlock(Seed.WRONG_PIN) }
                assertEquals(left.toUInt(), wrong.attemptsLeft)
                if (left == 1) assertEquals("wrong PIN, 1 try left before the token locks", wrong.detail)
            }
            val locked = assertThrows(TokenException.Locked::class.java) { session.unlock(Seed.WRONG_PIN) }
            val resetCode = requireNotNull(locked.resetCode)
            assertTrue(Regex("""\d{9}""").matches(resetCode.filter { it != ' ' && it != '-' }), resetCode)
            assertEquals(
                "the token is locked after too many wrong PINs; give the reset code to your help desk " +
                    "and type the unlock code they answer (or use the recovery key, if you have one)",
                locked.detail,
            )
            // Locked: the right PIN is not even checked.
            assertThrows(TokenException.Locked::class.java) { session.unlock(Seed.PIN) }
            val lockedOut = assertInstanceOf(TokenStatus.LockedOut::class.java, session.status())
            assertEquals(resetCode, lockedOut.resetCode)
            assertTrue(lockedOut.recoveryKey)

            session.unlockWithRecoveryKey(recoveryKey, Seed.NEW_PIN)
            assertEquals(TokenStatus.Unlocked, session.status())
            assertEquals(issuer.first(), session.codeAt(identity.id, Seed.T).code)

            session.lock()
            assertThrows(TokenException.WrongPin::class.java) { session.unlock(Seed.PIN) }
            session.unlock(Seed.NEW_PIN)
            assertEquals(issuer.first(), session.codeAt(identity.id, Seed.T).code)
        }

        // The same folder opened again: the token, its identity and its codes are on disk.
        TokenSession(folder.toString(), null).use { again ->
            assertInstanceOf(TokenStatus.NeedsPin::class.java, again.status())
            again.unlock(Seed.NEW_PIN)
            assertEquals(1, again.identities().size)
        }
    }
}
