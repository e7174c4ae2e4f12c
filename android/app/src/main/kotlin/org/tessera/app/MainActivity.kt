package org.tessera.app

import android.content.Intent
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.lifecycleScope
import java.io.File
import org.tessera.ffi.TokenSession
import org.tessera.kit.AutoLock
import org.tessera.kit.MonotonicClock
import org.tessera.kit.UnlockViewModel
import org.tessera.kit.android.AndroidClipboard
import org.tessera.kit.android.KeystoreKeyProtector
import org.tessera.kit.android.openedLink
import org.tessera.ui.TesseraApp
import org.tessera.ui.TesseraTheme

/**
 * The one activity: hosts the common screens (org.tessera.ui) over a session on the vault in
 * no-backup storage, sealed by the Keystore key. Screenshots and screen recording are blocked
 * (FLAG_SECURE), and the token locks when the app was away for the auto-lock delay.
 */
class MainActivity : ComponentActivity() {
    private lateinit var session: TokenSession
    private lateinit var unlock: UnlockViewModel
    private lateinit var autoLock: AutoLock
    private var openedLink by mutableStateOf<String?>(null)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        val folder = File(noBackupFilesDir, "token").apply { mkdirs() }
        session = TokenSession(folder.path, KeystoreKeyProtector())
        unlock = UnlockViewModel(session, lifecycleScope)
        autoLock = AutoLock(session, MonotonicClock { android.os.SystemClock.elapsedRealtime() })
        openedLink = intent.openedLink()
        val clipboard = AndroidClipboard(this)
        setContent {
            TesseraTheme {
                TesseraApp(session, unlock, clipboard, openedLink, onLinkTaken = { openedLink = null }) { vm ->
                    QrScanner(vm)
                }
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        openedLink = intent.openedLink()
    }

    override fun onStart() {
        super.onStart()
        if (autoLock.movedToForeground()) unlock.refresh()
    }

    override fun onStop() {
        super.onStop()
        // A rotation stops and restarts the activity without the person leaving the app.
        if (!isChangingConfigurations) {
            autoLock.movedToBackground()
            unlock.refresh()
        }
    }

    override fun onDestroy() {
        if (!isChangingConfigurations) session.close()
        super.onDestroy()
    }
}
