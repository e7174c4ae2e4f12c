package org.tessera.kit

import org.tessera.ffi.TokenException

/**
 * An error as a screen shows it: [message] beside [field] (one of the field names documented
 * on [TokenException.InvalidInput], such as "serial_number" or "pin"), or above the form when
 * [field] is null.
 */
data class FieldError(val field: String?, val message: String)

/**
 * The words the core chose for this error, fit to show a person. For
 * [TokenException.Internal] it is the reason meant for logs and bug reports.
 */
val TokenException.text: String
    get() = when (this) {
        is TokenException.InvalidInput -> detail
        is TokenException.WrongPin -> detail
        is TokenException.Locked -> detail
        is TokenException.WrongUnlockCode -> detail
        is TokenException.NotUnlocked -> detail
        is TokenException.NoToken -> detail
        is TokenException.NotFound -> detail
        is TokenException.Duplicate -> detail
        is TokenException.KeyUnavailable -> detail
        is TokenException.Corrupted -> detail
        is TokenException.PasswordNeeded -> detail
        is TokenException.WrongStep -> detail
        is TokenException.Internal -> reason
    }

/**
 * This error placed beside a field: [TokenException.InvalidInput] names its own field; any
 * other error goes beside [field], the input the failed call was about (null: above the form).
 */
fun TokenException.toFieldError(field: String? = null): FieldError = when (this) {
    is TokenException.InvalidInput -> FieldError(this.field, detail)
    else -> FieldError(field, text)
}
