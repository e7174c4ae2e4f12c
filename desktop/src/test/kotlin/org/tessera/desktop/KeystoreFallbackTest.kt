package org.tessera.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.runComposeUiTest
import com.sun.jna.Library
import com.sun.jna.Native
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenStatus

/**
 * Without a Secret Service the token still opens, without a device key, and the window says
 * plainly that only the PIN protects a copy of the token's file. The native library reads the
 * session bus's address from the process environment, which this test points at no bus.
 */
@OptIn(ExperimentalTestApi::class)
class KeystoreFallbackTest {
    @Suppress("FunctionName")
    private interface LibC : Library {
        fun setenv(name: String, value: String, overwrite: Int): Int
        fun unsetenv(name: String): Int
        fun getenv(name: String): String?
    }

    private val libc: LibC = Native.load("c", LibC::class.java)

    @Test
    fun noKeystoreIsSaidOnTheWindow() = runComposeUiTest {
        val bus = "DBUS_SESSION_BUS_ADDRESS"
        val before = libc.getenv(bus)
        libc.setenv(bus, "unix:path=/nonexistent/tessera-no-bus", 1)
        val token = try {
            openToken(tempFolder("tessera-desktop-nokey"))
        } finally {
            if (before == null) libc.unsetenv(bus) else libc.setenv(bus, before, 1)
        }
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        DesktopApp(token, scope, AwtClipboard()).use { app ->
            assertNotNull(token.keystoreUnavailable)
            setContent { DesktopContent(app, DesktopHooks({ null }, { null })) }
            onNodeWithTag("keystore-warning").assertExists()
            onNodeWithText(
                "No system keystore keeps a device key for this token, so only your PIN protects a copy of its file.",
            ).assertExists()
            waitForText("No identities yet")
            check(token.session.status() == TokenStatus.NoToken)
        }
        scope.cancel()
    }
}
