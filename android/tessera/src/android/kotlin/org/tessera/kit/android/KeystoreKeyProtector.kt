package org.tessera.kit.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.tessera.ffi.KeyProtector
import org.tessera.ffi.KeyProtectorException
import org.tessera.kit.makeDeviceKey

/**
 * The device key on Android: an AES-256 key generated inside the Android Keystore (in StrongBox
 * when the device has one and runs Android 9+, with a fallback on any ProviderException, see
 * [makeDeviceKey]) that never leaves the secure hardware. The vault's PIN slot is sealed
 * with it, so a copied vault file cannot be guessed at away from this device.
 *
 * This is platform keystore glue only: the core decides what to seal and when. Sealed blobs are
 * `iv (12 bytes) || AES-GCM ciphertext and tag`. A key the platform invalidated (for example after
 * the screen lock was removed) is reported as [KeyProtectorException.KeyInvalidated], so the core
 * offers the recovery key instead of failing.
 *
 * Never call back into the session from here: the session holds its lock while this runs.
 */
class KeystoreKeyProtector(private val alias: String = DEFAULT_ALIAS) : KeyProtector {

    override fun wrap(plaintext: ByteArray): ByteArray = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, existingKey() ?: newKey())
        cipher.iv + cipher.doFinal(plaintext)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.size <= IV_BYTES) throw KeyProtectorException.Failed("the sealed key is too short")
        val key = existingKey() ?: throw KeyProtectorException.KeyInvalidated("the device key no longer exists")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES))
        cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
    }

    private fun existingKey(): SecretKey? {
        val store = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        return store.getKey(alias, null) as? SecretKey
    }

    /** In StrongBox where the device has one (API 28+), else in the Keystore's own hardware. */
    private fun newKey(): SecretKey = makeDeviceKey(Build.VERSION.SDK_INT) { strongBox ->
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(spec(strongBox))
        generator.generateKey()
    }

    private fun spec(strongBox: Boolean): KeyGenParameterSpec {
        val builder = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
        // Only called on API 28+ (makeDeviceKey): the method does not exist before.
        if (strongBox) builder.setIsStrongBoxBacked(true)
        return builder.build()
    }

    /** Platform failures become the errors the core understands; nothing secret is in them. */
    private inline fun guarded(block: () -> ByteArray): ByteArray = try {
        block()
    } catch (e: KeyProtectorException) {
        throw e
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw KeyProtectorException.KeyInvalidated(e.javaClass.simpleName)
    } catch (e: Exception) {
        throw KeyProtectorException.Failed(e.javaClass.simpleName)
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val DEFAULT_ALIAS = "tessera-vault-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}
