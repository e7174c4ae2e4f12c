package org.tessera.app

import android.content.Intent
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.viewModels
import org.tessera.kit.android.openedLink
import org.tessera.ui.TesseraApp
import org.tessera.ui.TesseraTheme

/**
 * The one activity: draws the common screens (org.tessera.ui) from the [TesseraViewModel], which
 * outlives it. Edge to edge (the pages pad themselves for the system bars and the keyboard),
 * the system's light or dark theme, predictive Back handled per page. Screenshots and screen
 * recording are blocked (FLAG_SECURE). Leaving the app stops the codes and starts the
 * auto-lock delay; a rotation is not leaving.
 */
class MainActivity : ComponentActivity() {
    private val app: TesseraViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        // A recreated activity was already given its link.
        if (savedInstanceState == null) intent.openedLink()?.let(app.model::openLink)
        setContent {
            TesseraTheme {
                TesseraApp(
                    app.model,
                    scanner = { vm -> QrScanner(vm) },
                    backHandler = { enabled, onBack -> BackHandler(enabled, onBack) },
                )
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        intent.openedLink()?.let(app.model::openLink)
    }

    override fun onStart() {
        super.onStart()
        app.model.movedToForeground()
    }

    override fun onStop() {
        super.onStop()
        if (!isChangingConfigurations) app.model.movedToBackground()
    }
}
