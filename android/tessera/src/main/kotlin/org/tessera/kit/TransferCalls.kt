package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.tessera.ffi.BackupSummary
import org.tessera.ffi.ExportFormat
import org.tessera.ffi.ExportResult
import org.tessera.ffi.ImportFormat
import org.tessera.ffi.ImportOutcome
import org.tessera.ffi.RestoreSummary
import org.tessera.ffi.TokenSession
import org.tessera.ffi.verifyBackup

/*
 * Suspending forms of the import, export and backup calls. Encrypted files and backups run a
 * slow key derivation (scrypt, PBKDF2 or Argon2id) and an export checks the PIN again, so each
 * only moves the generated call off the caller's thread; reading, checking and encrypting
 * happen in the Rust core, as KeyDerivationCalls.kt does for the PIN calls.
 *
 * [TokenSession.export] is one of the calls that carry secrets across the FFI (links, QR
 * images, the backup file): hand its result to the share sheet or file picker, then drop it.
 */

/**
 * [TokenSession.importFile] off the caller's thread. Throws `TokenException.PasswordNeeded`
 * when the file is encrypted and [password] is null (ask for it and call again), and
 * `TokenException.InvalidInput` with field `InputField.PASSWORD` when it does not open the file.
 */
suspend fun TokenSession.importFileSuspending(
    contents: ByteArray,
    format: ImportFormat? = null,
    password: String? = null,
    context: CoroutineContext = Dispatchers.Default,
): ImportOutcome = withContext(context) { importFile(contents, format, password) }

/**
 * [TokenSession.createFromImport] off the caller's thread: restores a backup or another app's
 * export onto a new token in an empty folder, with [pin] (which [confirmation] must repeat;
 * the core checks both). Show the result's recovery key once and drop it.
 */
suspend fun TokenSession.createFromImportSuspending(
    contents: ByteArray,
    format: ImportFormat? = null,
    password: String? = null,
    pin: String,
    confirmation: String,
    context: CoroutineContext = Dispatchers.Default,
): RestoreSummary =
    withContext(context) { createFromImport(contents, format, password, pin, confirmation) }

/**
 * [TokenSession.export] off the caller's thread. [backupPassword] and its confirmation are for
 * [ExportFormat.TESSERA] only (fields `InputField.BACKUP_PASSWORD` and
 * `InputField.BACKUP_PASSWORD_CONFIRMATION`).
 */
suspend fun TokenSession.exportSuspending(
    format: ExportFormat,
    pin: String,
    backupPassword: String? = null,
    backupPasswordConfirmation: String? = null,
    context: CoroutineContext = Dispatchers.Default,
): ExportResult = withContext(context) { export(format, pin, backupPassword, backupPasswordConfirmation) }

/** [verifyBackup] off the caller's thread: what a backup holds, without secrets. */
suspend fun verifyBackupSuspending(
    contents: ByteArray,
    password: String,
    context: CoroutineContext = Dispatchers.Default,
): BackupSummary = withContext(context) { verifyBackup(contents, password) }
