package org.tessera.desktop

import androidx.compose.foundation.focusable
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.focus.FocusRequester
import androidx.compose.ui.focus.focusRequester
import androidx.compose.ui.input.key.Key
import androidx.compose.ui.input.key.KeyEvent
import androidx.compose.ui.input.key.KeyEventType
import androidx.compose.ui.input.key.isCtrlPressed
import androidx.compose.ui.input.key.isMetaPressed
import androidx.compose.ui.input.key.key
import androidx.compose.ui.input.key.onPreviewKeyEvent
import androidx.compose.ui.input.key.type
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import java.awt.image.BufferedImage
import java.io.File
import org.tessera.ui.TesseraApp
import org.tessera.ui.TesseraTheme

/** What the window supplies to the pages: the file chooser and the clipboard's image. */
class DesktopHooks(
    val chooseImageFile: () -> File?,
    val pastedImage: () -> BufferedImage?,
)

/**
 * The window's contents: the phone's pages ([TesseraApp]) with the desktop's additions: the
 * warning when no keystore keeps the device key, the search field over the list, the desktop
 * ways to add an identity instead of the camera, and the keyboard (Escape goes back, Ctrl+F
 * searches, Ctrl+C copies the code shown; Enter is each form's own). [dark] follows the system
 * unless a screenshot asks for one.
 */
@Composable
fun DesktopContent(app: DesktopApp, hooks: DesktopHooks, dark: Boolean = isSystemInDarkTheme()) {
    val shown by app.model.shown.collectAsState()
    val query by app.search.collectAsState()
    val rootFocus = remember { FocusRequester() }
    val searchFocus = remember { FocusRequester() }
    // A page change removes the focused field: the root takes the focus so the keys still work.
    LaunchedEffect(shown) { rootFocus.requestFocus() }
    LaunchedEffect(query != null) { if (query != null) searchFocus.requestFocus() }
    TesseraTheme(dark) {
        Surface(
            Modifier
                .fillMaxSize()
                .onPreviewKeyEvent { shortcut(app, it) }
                .focusRequester(rootFocus)
                .focusable(),
        ) {
            Column {
                app.token.keystoreUnavailable?.let { KeystoreWarning() }
                TesseraApp(
                    app.model,
                    scanner = { AddFromDesktop(app, hooks) },
                    listHeader = { if (query != null) SearchField(query.orEmpty(), app, searchFocus) },
                    listFilter = { identity -> query.let { q -> q == null || app.shows(identity) } },
                )
            }
        }
    }
}

/** The desktop's shortcuts; false lets the key through to the focused field. */
private fun shortcut(app: DesktopApp, event: KeyEvent): Boolean {
    if (event.type != KeyEventType.KeyDown) return false
    app.activity()
    val command = event.isCtrlPressed || event.isMetaPressed
    return when {
        event.key == Key.Escape -> app.back()
        command && event.key == Key.F -> {
            app.openSearch()
            true
        }
        command && event.key == Key.C -> app.copyShownCode()
        else -> false
    }
}

@Composable
private fun KeystoreWarning() {
    Surface(color = MaterialTheme.colorScheme.errorContainer, modifier = Modifier.fillMaxWidth().testTag("keystore-warning")) {
        Text(
            "No system keystore keeps a device key for this token, so only your PIN protects a copy of its file.",
            color = MaterialTheme.colorScheme.onErrorContainer,
            modifier = Modifier.padding(horizontal = 16.dp, vertical = 8.dp),
        )
    }
}

@Composable
private fun SearchField(query: String, app: DesktopApp, focus: FocusRequester) {
    OutlinedTextField(
        value = query,
        onValueChange = app::editSearch,
        label = { Text("Search identities") },
        singleLine = true,
        modifier = Modifier.fillMaxWidth().focusRequester(focus).testTag("search"),
    )
}

/** Add Identity's first page on the desktop: the screen, a file, a dropped or pasted image instead of a camera. */
@Composable
private fun AddFromDesktop(app: DesktopApp, hooks: DesktopHooks) {
    val notice by app.imageNotice.collectAsState()
    val choices by app.windowChoices.collectAsState()
    Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
        Text("Show the QR code your organisation sent on the screen and scan it, or open the picture of it.")
        OutlinedButton(onClick = { app.scanScreens() }, modifier = Modifier.fillMaxWidth()) { Text("Scan the screen") }
        if (app.scansWindows) {
            OutlinedButton(onClick = { app.listWindows() }, modifier = Modifier.fillMaxWidth()) { Text("Scan a window…") }
        }
        choices?.let { WindowChoices(it, app::scanWindow) }
        OutlinedButton(
            onClick = { hooks.chooseImageFile()?.let { app.addFromImage(readImage(it), it.name) } },
            modifier = Modifier.fillMaxWidth(),
        ) { Text("Open a picture…") }
        OutlinedButton(
            onClick = { app.addFromImage(hooks.pastedImage(), "the clipboard") },
            modifier = Modifier.fillMaxWidth(),
        ) { Text("Paste a picture") }
        Text("You can also drop a PNG or JPEG file onto this window.", style = MaterialTheme.typography.bodySmall)
        notice?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    }
}

/** The windows "Scan a window" offers: a title and size each; choosing one scans only it. */
@Composable
private fun WindowChoices(windows: List<ShownWindow>, scan: (ShownWindow) -> Unit) {
    Column(Modifier.fillMaxWidth().testTag("window-choices")) {
        Text("Choose the window that shows the QR code:", style = MaterialTheme.typography.bodyMedium)
        windows.forEach { window ->
            TextButton(onClick = { scan(window) }, modifier = Modifier.fillMaxWidth()) {
                Text("${window.title} (${window.bounds.width} × ${window.bounds.height})")
            }
        }
    }
}
