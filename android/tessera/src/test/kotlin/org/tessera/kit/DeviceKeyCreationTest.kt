package org.tessera.kit

import java.security.ProviderException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test

/** StrongBox is asked for only where the API exists, and a refusal falls back to the Keystore. */
class DeviceKeyCreationTest {
    private val asked = mutableListOf<Boolean>()

    private fun key(strongBox: Boolean, failStrongBox: Exception? = null): String {
        asked += strongBox
        if (strongBox && failStrongBox != null) throw failStrongBox
        return if (strongBox) "strongbox" else "keystore"
    }

    @Test
    fun android8NeverCallsTheStrongBoxApi() {
        for (sdk in listOf(26, 27)) {
            asked.clear()
            assertEquals("keystore", makeDeviceKey(sdk) { key(it) })
            assertEquals(listOf(false), asked, "API $sdk")
        }
    }

    @Test
    fun android9AndLaterUseStrongBoxWhenPresent() {
        assertEquals("strongbox", makeDeviceKey(28) { key(it) })
        assertEquals(listOf(true), asked)
    }

    @Test
    fun anyProviderExceptionFallsBackToTheKeystore() {
        class StrongBoxUnavailable : ProviderException("no StrongBox")
        for (failure in listOf(StrongBoxUnavailable(), ProviderException("Keystore operation failed"))) {
            asked.clear()
            assertEquals("keystore", makeDeviceKey(36) { key(it, failure) })
            assertEquals(listOf(true, false), asked)
        }
    }

    @Test
    fun otherFailuresAreNotHidden() {
        val error = assertThrows(IllegalStateException::class.java) {
            makeDeviceKey(36) { key(it, IllegalStateException("locked screen")) }
        }
        assertEquals("locked screen", error.message)
        assertEquals(listOf(true), asked)
    }
}
