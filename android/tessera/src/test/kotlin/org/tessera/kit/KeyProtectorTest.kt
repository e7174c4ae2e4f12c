package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenStatus

/**
 * A KeyProtector written in Kotlin, called from Rust: the PIN slot is sealed by it, the vault
 * opens only with the same key, and a missing, invalidated or failing key is KeyUnavailable,
 * never a crash, with the recovery key as the way back.
 */
class KeyProtectorTest {
    @Test
    fun theVaultOpensWithTheSameProtector() {
        val folder = tokenFolder()
        val protector = AesKeyProtector()
        val token = newOtpauthToken(folder, protector)
        token.session.use { session ->
            assertTrue(protector.wraps.get() >= 1, "wrap was never called")
            assertTrue(session.settings().deviceBound)
            val code = session.codeAt(token.identity.id, Seed.T)
            session.lock()
            val unwrapsBefore = protector.unwraps.get()
            session.unlock(Seed.PIN)
            assertTrue(protector.unwraps.get() > unwrapsBefore, "unwrap was never called")
            assertEquals(code, session.codeAt(token.identity.id, Seed.T))
        }
        // A new session over the same folder with the same device key.
        TokenSession(folder.toString(), protector).use { again ->
            again.unlock(Seed.PIN)
            assertEquals(1, again.identities().size)
        }
    }

    @Test
    fun anotherDeviceKeyIsUnavailableAndTheRecoveryKeyStillWorks() {
        val folder = tokenFolder()
        val token = newOtpauthToken(folder, AesKeyProtector())
        val code = token.session.codeAt(token.identity.id, Seed.T)
        token.session.close()

        val otherDevice = AesKeyProtector()
        TokenSession(folder.toString(), otherDevice).use { session ->
            val error = assertThrows(TokenException.KeyUnavailable::class.java) { session.unlock(Seed.PIN) }
            assertTrue(error.detail.startsWith("the device key that protects this vault is unavailable"), error.detail)
            assertTrue(otherDevice.unwraps.get() >= 1)
            // The recovery key opens it and binds the new PIN to this device's key.
            session.unlockWithRecoveryKey(token.recoveryKey, Seed.NEW_PIN)
            assertEquals(TokenStatus.Unlocked, session.status())
            assertEquals(code, session.codeAt(token.identity.id, Seed.T))
            session.lock()
            session.unlock(Seed.NEW_PIN)
        }
    }

    @Test
    fun anInvalidatedKeyIsUnavailableNotACrash() {
        val folder = tokenFolder()
        val protector = AesKeyProtector()
        newOtpauthToken(folder, protector).session.close()
        TokenSession(folder.toString(), InvalidatedKeyProtector(protector)).use { session ->
            val error = assertThrows(TokenException.KeyUnavailable::class.java) { session.unlock(Seed.PIN) }
            assertTrue(error.detail.contains("invalidated"), error.detail)
            // No PIN try was used up by the device's failure.
            assertEquals(TokenStatus.NeedsPin(5u), session.status())
        }
    }

    @Test
    fun anUndeclaredExceptionInTheProtectorIsAnErrorNotACrash() {
        val folder = tokenFolder()
        val protector = AesKeyProtector()
        newOtpauthToken(folder, protector).session.close()
        TokenSession(folder.toString(), CrashingKeyProtector(protector)).use { session ->
            val error = assertThrows(TokenException::class.java) { session.unlock(Seed.PIN) }
            assertTrue(error is TokenException.KeyUnavailable || error is TokenException.Internal, "$error")
        }
    }
}
