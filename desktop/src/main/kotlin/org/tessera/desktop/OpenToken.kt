package org.tessera.desktop

import java.nio.file.Path
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/**
 * A token session and, when the system keystore could not keep its device key, the core's
 * reason: the window then says that only the PIN protects a copy of the token's file.
 */
class OpenedToken(val session: TokenSession, val keystoreUnavailable: String?)

/**
 * Opens the token in [folder] with its device key in the system keystore (Secret Service,
 * Keychain, Credential Manager: the CLI's key for the same folder), or without one when the
 * keystore is unavailable, as the CLI does.
 */
fun openToken(folder: Path): OpenedToken {
    folder.toFile().mkdirs()
    return try {
        OpenedToken(TokenSession.withSystemKeystore(folder.toString()), null)
    } catch (e: TokenException.KeyUnavailable) {
        OpenedToken(TokenSession(folder.toString(), null), e.text())
    }
}
