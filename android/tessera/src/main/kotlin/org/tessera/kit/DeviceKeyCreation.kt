package org.tessera.kit

import java.security.ProviderException

/** The first Android API level with StrongBox (KeyGenParameterSpec.Builder.setIsStrongBoxBacked). */
const val STRONGBOX_SINCE_SDK = 28

/**
 * Makes the device key with [make]: in StrongBox (`make(true)`) when the platform has the API
 * ([sdk] is the device's API level) and the device has the chip, else in the ordinary Keystore
 * (`make(false)`). Before API 28 the StrongBox call does not exist at all (a NoSuchMethodError,
 * which nothing would catch), so it is never made there. Any [ProviderException] from the
 * StrongBox attempt falls back: StrongBoxUnavailableException is one, and some devices throw a
 * plain ProviderException instead. Other failures are not StrongBox's and go to the caller.
 */
fun <K> makeDeviceKey(sdk: Int, make: (strongBox: Boolean) -> K): K {
    if (sdk >= STRONGBOX_SINCE_SDK) {
        try {
            return make(true)
        } catch (_: ProviderException) {
            // No usable StrongBox on this device: the Keystore's own secure hardware follows.
        }
    }
    return make(false)
}
