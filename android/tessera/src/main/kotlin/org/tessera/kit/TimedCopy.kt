package org.tessera.kit

import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch

/** How long a copied code stays on the clipboard. */
val CLIPBOARD_CLEAR_AFTER: Duration = 30.seconds

/**
 * Copies [text] to [clipboard] and, after [clearAfter] on [scope]'s clock (virtual time in
 * tests), empties the clipboard if it still holds [text], so a code does not linger there but
 * something the person copied since is left alone. Returns the clearing job.
 */
fun copyForAWhile(
    clipboard: Clipboard,
    text: String,
    scope: CoroutineScope,
    clearAfter: Duration = CLIPBOARD_CLEAR_AFTER,
): Job {
    clipboard.copy(text)
    return scope.launch {
        delay(clearAfter)
        if (clipboard.current() == text) clipboard.clear()
    }
}
