package org.tessera.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.input.key.Key
import androidx.compose.ui.input.key.KeyEventType
import androidx.compose.ui.input.key.key
import androidx.compose.ui.input.key.onPreviewKeyEvent
import androidx.compose.ui.input.key.type
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp
import org.tessera.ffi.InputField
import org.tessera.kit.FieldError

/** The error's words when the core named [field], else null. */
fun FieldError?.on(field: InputField): String? = this?.takeIf { it.field == field }?.message?.let(::sentence)

/** The error's words when it belongs to none of [fields] (shown above the form). */
fun FieldError?.besides(vararg fields: InputField): String? = this?.takeIf { it.field !in fields }?.message?.let(::sentence)

/**
 * The core's words as a sentence on screen: a capital letter and a full stop. The core writes
 * its messages to be embedded ("wrong PIN, 4 tries left ..."), as logs and the CLI show them.
 */
fun sentence(words: String): String {
    val text = words.trim()
    if (text.isEmpty()) return text
    val capital = text.replaceFirstChar { it.uppercaseChar() }
    return if (capital.last() in ".!?") capital else "$capital."
}

/** A screen with a title, an optional back action, and scrolling content. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun Page(
    title: String,
    onBack: (() -> Unit)? = null,
    actions: @Composable () -> Unit = {},
    content: @Composable ColumnScope.() -> Unit,
) {
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(title) },
                navigationIcon = {
                    if (onBack != null) {
                        IconButton(onClick = onBack) { Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = "Back") }
                    }
                },
                actions = { actions() },
            )
        },
    ) { padding ->
        // The Scaffold's padding holds the system bars (the app draws edge to edge); the keyboard
        // then adds only what it covers beyond them, so the focused field stays in view.
        Column(
            Modifier
                .fillMaxSize()
                .padding(padding)
                .consumeWindowInsets(padding)
                .imePadding()
                .verticalScroll(rememberScrollState())
                .padding(20.dp),
            verticalArrangement = Arrangement.spacedBy(14.dp),
            content = content,
        )
    }
}

/** A text field with the core's error for [field] shown beneath it. */
@Composable
fun Field(
    value: String,
    onChange: (String) -> Unit,
    label: String,
    field: InputField,
    error: FieldError?,
    secret: Boolean = false,
    digits: Boolean = false,
    hint: String? = null,
    onSubmit: (() -> Unit)? = null,
) {
    val message = error.on(field)
    val submit = Modifier.onPreviewKeyEvent { event ->
        // A hardware Enter (the desktop, a phone's keyboard) continues like the form's button.
        val enter = event.key == Key.Enter || event.key == Key.NumPadEnter
        if (onSubmit != null && enter && event.type == KeyEventType.KeyDown) {
            onSubmit()
            true
        } else {
            false
        }
    }
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = message != null,
        supportingText = (message ?: hint)?.let { text -> { Text(text) } },
        singleLine = true,
        visualTransformation = if (secret) PasswordVisualTransformation() else VisualTransformation.None,
        keyboardOptions = KeyboardOptions(
            keyboardType = when {
                secret && digits -> KeyboardType.NumberPassword
                secret -> KeyboardType.Password
                digits -> KeyboardType.Number
                else -> KeyboardType.Text
            },
            imeAction = if (onSubmit != null) ImeAction.Done else ImeAction.Default,
        ),
        keyboardActions = KeyboardActions(onDone = { onSubmit?.invoke() }),
        modifier = Modifier.fillMaxWidth().then(submit),
    )
}

/** An error that belongs to no field of the form, as a sentence. */
@Composable
fun FormError(message: String?) {
    if (message != null) Text(sentence(message), color = MaterialTheme.colorScheme.error)
}

/** A code as the core grouped it, large and monospaced. */
@Composable
fun GroupedCode(grouped: String, modifier: Modifier = Modifier) {
    Text(
        grouped,
        style = MaterialTheme.typography.headlineMedium,
        fontFamily = FontFamily.Monospace,
        modifier = modifier,
    )
}
