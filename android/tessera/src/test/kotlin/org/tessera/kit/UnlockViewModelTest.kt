package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.InputField

/** The unlock screen's states, driven through the real token. */
class UnlockViewModelTest {
    @Test
    fun wrongPinsThenLockoutThenRecovery() = runTest {
        val token = newOtpauthToken()
        token.session.lock()
        val vm = UnlockViewModel(token.session, this, StandardTestDispatcher(testScheduler))
        assertEquals(UnlockScreen.Loading, vm.state.value)
        vm.refresh().join()
        assertEquals(UnlockScreen.EnterPin(5u), vm.state.value)

        vm.submitPin(Seed.WRONG_PIN).join()
        assertEquals(
            UnlockScreen.EnterPin(4u, FieldError(InputField.PIN, "wrong PIN, 4 tries left before the token locks")),
            vm.state.value,
        )
        repeat(4) { vm.submitPin(Seed.WRONG_PIN).join() }
        val locked = assertInstanceOf(UnlockScreen.LockedOut::class.java, vm.state.value)
        assertTrue(locked.recoveryKey)
        assertNull(locked.resetCode) // an otpauth-only token has no issuer to answer a reset code
        assertEquals(InputField.PIN, locked.error?.field)

        vm.submitRecoveryKey("not a key", Seed.NEW_PIN).join()
        val refused = assertInstanceOf(UnlockScreen.LockedOut::class.java, vm.state.value)
        assertEquals(InputField.RECOVERY_KEY, refused.error?.field)

        vm.submitRecoveryKey(token.recoveryKey, Seed.NEW_PIN).join()
        assertEquals(UnlockScreen.Unlocked(), vm.state.value)
        assertFalse(vm.busy.value)
        token.session.close()
    }

    @Test
    fun aSecondSubmitWhileBusyIsIgnored() {
        val scope = TestScope()
        val token = newOtpauthToken()
        token.session.lock()
        val vm = UnlockViewModel(token.session, scope, StandardTestDispatcher(scope.testScheduler))
        vm.submitPin(Seed.WRONG_PIN)
        vm.submitPin(Seed.WRONG_PIN)
        scope.testScheduler.advanceUntilIdle()
        // Only one PIN try was counted.
        assertEquals(4u, (vm.state.value as UnlockScreen.EnterPin).attemptsLeft)
        token.session.close()
    }
}
