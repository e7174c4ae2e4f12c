package org.tessera.app

import android.app.Application
import android.os.SystemClock
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import java.io.File
import org.tessera.ffi.TokenSession
import org.tessera.kit.AppModel
import org.tessera.kit.MonotonicClock
import org.tessera.kit.android.AndroidClipboard
import org.tessera.kit.android.KeystoreKeyProtector

/**
 * Holds the one session and everything the screens remember ([AppModel]) across configuration
 * changes: a rotation recreates the activity but not this, so the token is not opened twice, the
 * PIN is not asked again and a recovery key being shown stays. The session is closed when the
 * app's task ends (onCleared). Only the application context is kept (no activity leak).
 */
class TesseraViewModel(application: Application) : AndroidViewModel(application) {
    val model = AppModel(
        TokenSession(File(application.noBackupFilesDir, "token").apply { mkdirs() }.path, KeystoreKeyProtector()),
        viewModelScope,
        AndroidClipboard(application),
        MonotonicClock { SystemClock.elapsedRealtime() },
    )

    override fun onCleared() {
        model.close()
    }
}
