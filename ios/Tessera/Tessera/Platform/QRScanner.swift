// The camera for Add Identity's scan screen. TesseraKit's `CameraViewModel` decides whether the
// camera may run (asked, refused, restricted, missing) and what to say in its place; this asks
// AVFoundation and does what it says. Frames come in the bi-planar YUV format, whose first plane
// is the luminance (Y) a QR decoder reads; each frame's Y plane is copied out and handed to
// Add Identity's model, which passes it to the core (`decode_qr_luma`). While one frame is being
// read, the next ones are dropped. Nothing here decodes or decides.

import AVFoundation
import SwiftUI
import TesseraKit
import UIKit

/// The camera preview, or why there is none; frames go to `onFrame` (width, height, bytes per
/// row, Y plane).
struct QRScannerView: View {
    let onFrame: @MainActor @Sendable (UInt32, UInt32, UInt32, Data) async -> Void
    @StateObject private var camera = CameraViewModel()
    @Environment(\.openURL) private var openURL

    var body: some View {
        switch camera.state {
        case .starting, .running:
            CameraPreview(camera: camera, onFrame: onFrame)
        case let .unavailable(reason, canOpenSettings):
            VStack(spacing: 12) {
                Image(systemName: "video.slash").font(.largeTitle).foregroundStyle(.secondary)
                Text(reason).multilineTextAlignment(.center)
                if canOpenSettings, let settings = URL(string: UIApplication.openSettingsURLString) {
                    Button("Open Settings") { openURL(settings) }
                }
            }
            .padding()
            .frame(maxWidth: .infinity, maxHeight: .infinity)
        }
    }
}

/// The preview layer; its coordinator starts the camera when `camera` allows and stops it for
/// good when the view is dismantled.
private struct CameraPreview: UIViewRepresentable {
    let camera: CameraViewModel
    let onFrame: @MainActor @Sendable (UInt32, UInt32, UInt32, Data) async -> Void

    func makeCoordinator() -> CameraStarter {
        CameraStarter(camera: camera, reader: FrameReader(onFrame: onFrame))
    }

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.videoGravity = .resizeAspectFill
        context.coordinator.start(on: view.previewLayer)
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    static func dismantleUIView(_ view: PreviewView, coordinator: CameraStarter) {
        coordinator.stop()
    }

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        // The layer is of `layerClass`, by UIKit's contract.
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    }
}

/// Asks for the camera and finds one, as `CameraViewModel` directs.
@MainActor
private final class CameraStarter {
    private let camera: CameraViewModel
    private let reader: FrameReader

    init(camera: CameraViewModel, reader: FrameReader) {
        self.camera = camera
        self.reader = reader
    }

    func start(on layer: AVCaptureVideoPreviewLayer) {
        layer.session = reader.session
        proceed(camera.authorization(Self.authorization))
    }

    /// The view is gone: nothing starts the camera again, whatever answer arrives late.
    func stop() {
        camera.viewGone()
        reader.stop()
    }

    private func proceed(_ next: CameraViewModel.Next) {
        switch next {
        case .ask:
            Task {
                let granted = await AVCaptureDevice.requestAccess(for: .video)
                proceed(camera.authorization(granted ? .authorized : .denied))
            }
        case .findCamera:
            // The rear camera, else any (an iPad on a stand, a Mac running the iPhone app).
            let found = FrameReader.device() != nil
            if camera.cameraFound(found) {
                reader.run { [camera] in _ = camera.cameraFound(false) }
            }
        case .stop:
            break
        }
    }

    private static var authorization: CameraViewModel.Authorization {
        switch AVCaptureDevice.authorizationStatus(for: .video) {
        case .notDetermined: return .notDetermined
        case .authorized: return .authorized
        case .restricted: return .restricted
        case .denied: return .denied
        @unknown default: return .denied
        }
    }
}

/// Owns the capture session and reads frames. `@unchecked Sendable`: the session, `busy` and
/// `stopped` are touched on `queue` only (the session's `let` is also read once on the main
/// thread, to attach the preview layer).
private final class FrameReader: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate,
    @unchecked Sendable
{
    let session = AVCaptureSession()
    private let queue = DispatchQueue(label: "org.tessera.camera-frames")
    private let onFrame: @MainActor @Sendable (UInt32, UInt32, UInt32, Data) async -> Void
    private var busy = false
    private var stopped = false

    init(onFrame: @escaping @MainActor @Sendable (UInt32, UInt32, UInt32, Data) async -> Void) {
        self.onFrame = onFrame
    }

    static func device() -> AVCaptureDevice? {
        AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back)
            ?? AVCaptureDevice.default(for: .video)
    }

    /// Configures and starts the session, unless `stop` came first (both run on `queue`, in
    /// order); `onFailure` runs when no camera could be opened.
    func run(onFailure: @escaping @MainActor @Sendable () -> Void) {
        queue.async {
            guard !self.stopped else { return }
            if self.configure() {
                self.session.startRunning()
            } else {
                Task { @MainActor in onFailure() }
            }
        }
    }

    func stop() {
        queue.async {
            self.stopped = true
            self.session.stopRunning()
        }
    }

    private func configure() -> Bool {
        guard let camera = Self.device(), let input = try? AVCaptureDeviceInput(device: camera)
        else { return false }
        session.beginConfiguration()
        defer { session.commitConfiguration() }
        if session.canSetSessionPreset(.hd1280x720) {
            session.sessionPreset = .hd1280x720
        }
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [
            kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange
        ]
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: queue)
        guard session.canAddInput(input), session.canAddOutput(output) else { return false }
        session.addInput(input)
        session.addOutput(output)
        return true
    }

    func captureOutput(
        _ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer,
        from connection: AVCaptureConnection
    ) {
        guard !busy, let pixels = CMSampleBufferGetImageBuffer(sampleBuffer) else { return }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return }
        let width = UInt32(CVPixelBufferGetWidthOfPlane(pixels, 0))
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let stride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        let luma = Data(bytes: base, count: stride * height)
        busy = true
        let onFrame = onFrame
        Task { [weak self] in
            await onFrame(width, UInt32(height), UInt32(stride), luma)
            guard let self else { return }
            self.queue.async { self.busy = false }
        }
    }
}
