package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.tessera.ffi.ActivationData
import org.tessera.ffi.FlowStep
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenState

/** The Add Identity screens' state over the real flow: steps, refusals beside their fields. */
class AddIdentityViewModelTest {
    @Test
    fun theSeedFlowWithItsRefusals() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            val flow = session.addIdentity()
            val vm = AddIdentityViewModel(flow, this, StandardTestDispatcher(testScheduler))
            assertEquals(AddIdentityScreen(FlowStep.Start), vm.state.value)

            vm.enterActivation(ActivationData("48244-13457", Seed.ACTIVATION, null, null, null, null)).join()
            assertEquals(FlowStep.Start, vm.state.value.step)
            assertEquals("serial_number", vm.state.value.error?.field)
            vm.clearError()
            assertNull(vm.state.value.error)

            vm.enterActivation(seedActivation()).join()
            assertEquals(AddIdentityScreen(FlowStep.NeedsPin), vm.state.value)
            vm.setPin(Seed.PIN).join()
            assertEquals(FlowStep.ConfirmPin, vm.state.value.step)
            vm.confirmPin(Seed.NEW_PIN).join()
            // The core moved back to choosing the PIN; the screen follows it.
            assertEquals(FlowStep.NeedsPin, vm.state.value.step)
            assertEquals(
                FieldError("pin", "the two PINs are not the same: choose a PIN and type it twice"),
                vm.state.value.error,
            )

            vm.setPin(Seed.PIN).join()
            vm.confirmPin(Seed.PIN).join()
            val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, vm.state.value.step)
            assertEquals("myid.example.edu", shown.name)
            vm.finish().join()
            val done = assertInstanceOf(FlowStep.Done::class.java, vm.state.value.step)
            assertNotNull(done.recoveryKey)
            assertEquals(shown.registrationCode, done.identity.registrationCode)
            assertFalse(vm.state.value.busy)
            assertEquals(TokenState.Unlocked, session.state())
            flow.close()
        }
    }

    @Test
    fun theSuspendingCallsCreateTheTokenOffTheCallersThread() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                flow.enterActivation(seedActivation())
                flow.setPin(Seed.PIN)
                assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, flow.confirmPinSuspending(Seed.PIN))
                assertInstanceOf(FlowStep.Done::class.java, flow.finishSuspending())
            }
            session.lock()
            session.unlockSuspending(Seed.PIN)
            session.changePinSuspending(Seed.PIN, Seed.NEW_PIN)
            session.lock()
            session.unlockSuspending(Seed.NEW_PIN)
            assertEquals(TokenState.Unlocked, session.state())
        }
    }
}
