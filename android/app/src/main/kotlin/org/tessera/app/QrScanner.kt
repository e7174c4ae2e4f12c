package org.tessera.app

import android.Manifest
import android.content.pm.PackageManager
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraInfoUnavailableException
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import org.tessera.kit.AddIdentityViewModel
import org.tessera.kit.CameraFacing
import org.tessera.kit.ScannerStay
import org.tessera.kit.chooseScanCamera

private const val NO_CAMERA = "This device has no camera. Type the codes or paste the link instead."
private const val CAMERA_FAILED = "The camera could not start. Type the codes or paste the link instead."

/**
 * The camera preview of Add Identity: the rear camera, else the front one. Each analysis frame's
 * luminance plane (the Y plane of YUV_420_888, with its row stride) goes to the view model, whose
 * core call finds the QR code; nothing is decoded here. Without a camera, or when it cannot
 * start, it says so (typing and pasting stay below); it never binds after leaving the screen.
 */
@Composable
fun QrScanner(vm: AddIdentityViewModel) {
    val context = LocalContext.current
    if (!context.packageManager.hasSystemFeature(PackageManager.FEATURE_CAMERA_ANY)) {
        Text(NO_CAMERA)
        return
    }
    var allowed by remember {
        mutableStateOf(ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED)
    }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { allowed = it }
    if (!allowed) {
        Button(onClick = { ask.launch(Manifest.permission.CAMERA) }, modifier = Modifier.fillMaxWidth()) {
            Text("Allow the camera to scan the QR code")
        }
        return
    }
    var problem by remember { mutableStateOf<String?>(null) }
    problem?.let {
        Text(it)
        return
    }
    val owner = LocalLifecycleOwner.current
    val view = remember { PreviewView(context) }
    DisposableEffect(owner) {
        val stay = ScannerStay()
        val analysisThread = Executors.newSingleThreadExecutor()
        val providerFuture = ProcessCameraProvider.getInstance(context)
        providerFuture.addListener({
            try {
                val provider = providerFuture.get()
                val facing = chooseScanCamera(
                    hasBack = provider.hasCamera(CameraSelector.DEFAULT_BACK_CAMERA),
                    hasFront = provider.hasCamera(CameraSelector.DEFAULT_FRONT_CAMERA),
                )
                if (facing == null) {
                    problem = NO_CAMERA
                    return@addListener
                }
                val selector = if (facing == CameraFacing.Back) CameraSelector.DEFAULT_BACK_CAMERA else CameraSelector.DEFAULT_FRONT_CAMERA
                val preview = Preview.Builder().build().also { it.setSurfaceProvider(view.surfaceProvider) }
                val analysis = ImageAnalysis.Builder()
                    .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                    .build()
                analysis.setAnalyzer(analysisThread) { frame -> frame.use { vm.scanLuma(it) } }
                stay.bind {
                    provider.unbindAll()
                    provider.bindToLifecycle(owner, selector, preview, analysis)
                }
            } catch (_: ExecutionException) {
                problem = CAMERA_FAILED
            } catch (_: CameraInfoUnavailableException) {
                problem = CAMERA_FAILED
            } catch (_: IllegalStateException) {
                // bindToLifecycle: the lifecycle is destroyed or the camera is in use.
                problem = CAMERA_FAILED
            } catch (_: IllegalArgumentException) {
                // bindToLifecycle: no camera matches, or the use cases cannot run together.
                problem = CAMERA_FAILED
            }
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            stay.leave { providerFuture.get().unbindAll() }
            analysisThread.shutdown()
        }
    }
    AndroidView(factory = { view }, modifier = Modifier.fillMaxWidth().aspectRatio(1f))
}

/** Copies the frame's Y plane (the buffer is reused once the frame is closed) to the view model. */
private fun AddIdentityViewModel.scanLuma(frame: ImageProxy) {
    val plane = frame.planes[0]
    val buffer = plane.buffer
    val luma = ByteArray(buffer.remaining()).also { buffer.get(it) }
    scanFrame(frame.width, frame.height, plane.rowStride, luma)
}
