package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.IdentityKindLabel
import org.tessera.ffi.InputField
import org.tessera.ffi.Issuer
import org.tessera.ffi.TokenSession

/** The identity details screen over a real token. */
class IdentityDetailsViewModelTest {
    @Test
    fun renameAndRemoveOnlyAfterConfirmation() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val vm = IdentityDetailsViewModel(session, token.identity, this, StandardTestDispatcher(testScheduler))
        assertEquals("alice@example.com", vm.state.value.identity.name)
        assertEquals("Example", vm.state.value.identity.issuer)

        vm.rename("Work mail").join()
        assertEquals("Work mail", vm.state.value.identity.name)
        assertEquals("Work mail", session.identities().single().name)
        vm.rename(" ").join()
        assertEquals(InputField.NAME, vm.state.value.error?.field)
        assertEquals("Work mail", vm.state.value.identity.name)

        vm.confirmRemove().join()
        assertEquals(1, session.identities().size, "no removal without asking first")
        vm.requestRemove()
        assertTrue(vm.state.value.confirmingRemove)
        vm.cancelRemove()
        vm.confirmRemove().join()
        assertEquals(1, session.identities().size)

        vm.requestRemove()
        vm.confirmRemove().join()
        assertTrue(vm.state.value.removed)
        assertEquals(emptyList<Any>(), session.identities())
        session.close()
    }

    @Test
    fun anOtpauthIdentityCannotBeReactivatedNorSwitched() = runTest {
        val token = newOtpauthToken()
        val vm = IdentityDetailsViewModel(token.session, token.identity, this, StandardTestDispatcher(testScheduler))
        assertNull(vm.reactivate())
        assertEquals(InputField.IDENTITY, vm.state.value.error?.field)
        vm.switchPolicyVariant().join()
        assertEquals(InputField.POLICY, vm.state.value.error?.field)
        token.session.close()
    }

    @Test
    fun reactivationKeepsTheNameAndPlaceWithNewActivationData() = runTest {
        Issuer.open(tokenFolder().toString(), "issuer passphrase for tests").use { issuer ->
            val first = issuer.create("Acme VPN", 6u, null, null, "https://vpn.acme.example/igst")
            TokenSession(tokenFolder().toString(), null).use { session ->
                val identity = session.addIdentity().use { flow ->
                    flow.enterLink(first.link)
                    flow.enterPassword(first.password)
                    flow.setPin(Seed.PIN)
                    flow.confirmPin(Seed.PIN)
                    (flow.finish() as FlowStep.Done).identity
                }
                session.rename(identity.id, "Acme VPN")
                val other = session.addIdentity().use { (it.enterLink(Seed.OTPAUTH) as FlowStep.Done).identity }
                val dispatcher = StandardTestDispatcher(testScheduler)
                val details = IdentityDetailsViewModel(session, session.identities().first(), this, dispatcher)
                assertEquals(IdentityKindLabel.IDENTITY_GUARD, details.state.value.identity.kind)

                val second = issuer.create("Acme VPN", 6u, null, null, null)
                val add = requireNotNull(details.reactivate())
                assertEquals(FlowStep.Start, add.state.value.step)
                add.enterLink(second.link).join()
                assertEquals(FlowStep.NeedsPassword, add.state.value.step)
                add.enterPassword(second.password).join()
                val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, add.state.value.step)
                add.finish().join()
                assertInstanceOf(FlowStep.Done::class.java, add.state.value.step)

                val after = session.identities()
                assertEquals(listOf(identity.id, other.id), after.map { it.id })
                assertEquals("Acme VPN", after[0].name)
                assertEquals(shown.registrationCode, after[0].registrationCode)
                val digits = { serial: String? -> serial?.filter(Char::isDigit) }
                assertNotEquals(digits(identity.serial), digits(after[0].serial))
                assertEquals(digits(second.serial), digits(after[0].serial))
                assertFalse(add.state.value.busy)
            }
        }
    }
}
