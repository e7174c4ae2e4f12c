package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenStatus

/** The settings screen over a real token: every value is checked by the core and read back. */
class SettingsViewModelTest {
    @Test
    fun changePinChecksTheConfirmationAndTheCurrentPin() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val vm = SettingsViewModel(session, this, StandardTestDispatcher(testScheduler))

        vm.changePin(Seed.PIN, Seed.NEW_PIN, "8265").join()
        assertEquals(InputField.CONFIRM_PIN, vm.state.value.error?.field)
        assertFalse(vm.state.value.pinChanged)

        vm.changePin(Seed.WRONG_PIN, Seed.NEW_PIN, Seed.NEW_PIN).join()
        assertEquals(
            FieldError(InputField.CURRENT_PIN, "wrong PIN, 4 tries left before the token locks"),
            vm.state.value.error,
        )
        assertFalse(vm.state.value.pinChanged)

        vm.changePin(Seed.PIN, "12", "12").join()
        assertEquals(InputField.NEW_PIN, vm.state.value.error?.field)
        assertFalse(vm.state.value.pinChanged)

        vm.changePin(Seed.PIN, Seed.NEW_PIN, Seed.NEW_PIN).join()
        assertNull(vm.state.value.error)
        assertTrue(vm.state.value.pinChanged)
        assertFalse(vm.state.value.busy)
        session.lock()
        assertThrows(TokenException.WrongPin::class.java) { session.unlock(Seed.PIN) }
        session.unlock(Seed.NEW_PIN)
        assertEquals(TokenStatus.Unlocked, session.status())
        session.close()
    }

    @Test
    fun timeOffsetAutoLockAndThresholdAreReadBackOrRefusedBesideTheirFields() = runTest {
        val token = newOtpauthToken()
        val vm = SettingsViewModel(token.session, this, StandardTestDispatcher(testScheduler))
        vm.refresh().join()
        val initial = requireNotNull(vm.state.value.settings)
        assertEquals(0L, initial.timeOffsetSeconds)
        assertEquals(60u, initial.autoLockSeconds)

        vm.setTimeOffset(-45).join()
        assertEquals(-45L, vm.state.value.settings?.timeOffsetSeconds)
        vm.setTimeOffset(86_401).join()
        assertEquals(InputField.TIME_OFFSET, vm.state.value.error?.field)
        assertEquals(-45L, vm.state.value.settings?.timeOffsetSeconds)

        vm.setAutoLock(300u).join()
        assertNull(vm.state.value.error)
        assertEquals(300u, vm.state.value.settings?.autoLockSeconds)
        vm.setAutoLock(3601u).join()
        assertEquals(InputField.AUTO_LOCK, vm.state.value.error?.field)
        assertEquals(300u, token.session.settings().autoLockSeconds)

        vm.setLockoutThreshold(8u, Seed.PIN).join()
        assertEquals(8u, vm.state.value.settings?.lockoutThreshold)
        vm.setLockoutThreshold(0u, Seed.PIN).join()
        assertEquals(InputField.LOCKOUT_THRESHOLD, vm.state.value.error?.field)
        token.session.close()
    }

    @Test
    fun aNewRecoveryKeyIsShownOnceAndReplacesTheOldOne() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val vm = SettingsViewModel(session, this, StandardTestDispatcher(testScheduler))
        vm.makeRecoveryKey(Seed.PIN).join()
        val key = requireNotNull(vm.state.value.recoveryKey)
        vm.dismissRecoveryKey()
        assertNull(vm.state.value.recoveryKey)

        session.lock()
        assertThrows(TokenException.WrongUnlockCode::class.java) {
            session.unlockWithRecoveryKey(token.recoveryKey, Seed.NEW_PIN)
        }
        session.unlockWithRecoveryKey(key, Seed.NEW_PIN)
        assertEquals(TokenStatus.Unlocked, session.status())
        session.close()
    }

    @Test
    fun aNewRecoveryKeyAndTheLockoutThresholdNeedThePinAgain() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val vm = SettingsViewModel(session, this, StandardTestDispatcher(testScheduler))

        // Out of range: refused beside the threshold before the PIN is checked (no try spent).
        vm.setLockoutThreshold(101u, Seed.WRONG_PIN).join()
        assertEquals(InputField.LOCKOUT_THRESHOLD, vm.state.value.error?.field)

        vm.setLockoutThreshold(100u, Seed.WRONG_PIN).join()
        assertEquals(
            FieldError(InputField.LOCKOUT_PIN, "wrong PIN, 4 tries left before the token locks"),
            vm.state.value.error,
        )
        vm.makeRecoveryKey(Seed.WRONG_PIN).join()
        assertEquals(
            FieldError(InputField.RECOVERY_KEY_PIN, "wrong PIN, 3 tries left before the token locks"),
            vm.state.value.error,
        )
        assertNull(vm.state.value.recoveryKey)
        assertEquals(5u, session.settings().lockoutThreshold)

        vm.setLockoutThreshold(4u, Seed.PIN).join()
        assertNull(vm.state.value.error)
        assertEquals(4u, vm.state.value.settings?.lockoutThreshold)
        vm.makeRecoveryKey(Seed.PIN).join()
        val key = requireNotNull(vm.state.value.recoveryKey)
        assertFalse(vm.state.value.busy)

        // The right PIN cleared the count: four wrong ones now lock the token and the session.
        repeat(3) { vm.makeRecoveryKey(Seed.WRONG_PIN).join() }
        assertEquals(TokenStatus.Unlocked, session.status())
        vm.makeRecoveryKey(Seed.WRONG_PIN).join()
        assertEquals(InputField.RECOVERY_KEY_PIN, vm.state.value.error?.field)
        assertThrows(TokenException.NotUnlocked::class.java) { session.settings() }
        session.unlockWithRecoveryKey(key, Seed.NEW_PIN)
        assertEquals(TokenStatus.Unlocked, session.status())
        session.close()
    }

    @Test
    fun unlockCodesAreTurnedOffWithThePinAndReadBack() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val vm = SettingsViewModel(session, this, StandardTestDispatcher(testScheduler))
        vm.refresh().join()
        assertTrue(requireNotNull(vm.state.value.settings).unlockCodes)

        vm.setUnlockCodes(Seed.WRONG_PIN, false).join()
        assertEquals(
            FieldError(InputField.UNLOCK_CODES, "wrong PIN, 4 tries left before the token locks"),
            vm.state.value.error,
        )
        assertTrue(session.settings().unlockCodes)

        vm.setUnlockCodes(Seed.PIN, false).join()
        assertNull(vm.state.value.error)
        assertFalse(requireNotNull(vm.state.value.settings).unlockCodes)
        session.lock()
        session.unlock(Seed.PIN)
        assertFalse(session.settings().unlockCodes)

        vm.setUnlockCodes(Seed.PIN, true).join()
        assertTrue(requireNotNull(vm.state.value.settings).unlockCodes)
        session.close()
    }
}
