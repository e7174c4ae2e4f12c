package org.tessera.kit

import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException

/**
 * An error as a screen shows it: [message] beside [field], or above the form when [field] is
 * null.
 */
data class FieldError(val field: InputField?, val message: String)

/**
 * This error placed beside a field: [TokenException.InvalidInput] names its own field; any
 * other error goes beside [field], the input the failed call was about (null: above the form).
 * The words are the core's ([TokenException.text]), whatever the variant.
 */
fun TokenException.toFieldError(field: InputField? = null): FieldError =
    FieldError((this as? TokenException.InvalidInput)?.field ?: field, text())
