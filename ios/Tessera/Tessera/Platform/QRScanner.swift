// The camera for Add Identity's scan screen: AVFoundation video frames in the bi-planar YUV
// format, whose first plane is the luminance (Y) a QR decoder reads. Each frame's Y plane is
// copied out and handed to the view model, which passes it to the core (`decode_qr_luma`); while
// one frame is being read, the next ones are dropped. Nothing here decodes or decides.

import AVFoundation
import SwiftUI
import TesseraKit

/// The camera preview; frames go to `onFrame` (width, height, bytes per row, Y plane).
struct QRScannerView: UIViewRepresentable {
    let onFrame: @MainActor (UInt32, UInt32, UInt32, Data) async -> Void

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.videoGravity = .resizeAspectFill
        context.coordinator.start(on: view.previewLayer)
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    static func dismantleUIView(_ view: PreviewView, coordinator: FrameReader) {
        coordinator.stop()
    }

    func makeCoordinator() -> FrameReader {
        FrameReader(onFrame: onFrame)
    }

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    }
}

/// Owns the capture session; reads frames on its own queue.
final class FrameReader: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate, @unchecked Sendable {
    private let session = AVCaptureSession()
    private let queue = DispatchQueue(label: "org.tessera.camera-frames")
    private let onFrame: @MainActor (UInt32, UInt32, UInt32, Data) async -> Void
    /// Touched on `queue` only.
    private var busy = false

    init(onFrame: @escaping @MainActor (UInt32, UInt32, UInt32, Data) async -> Void) {
        self.onFrame = onFrame
    }

    func start(on layer: AVCaptureVideoPreviewLayer) {
        layer.session = session
        AVCaptureDevice.requestAccess(for: .video) { [weak self] granted in
            guard granted, let self else { return }
            self.queue.async { self.configureAndRun() }
        }
    }

    func stop() {
        queue.async { [session] in session.stopRunning() }
    }

    private func configureAndRun() {
        guard let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
            let input = try? AVCaptureDeviceInput(device: camera)
        else { return }
        session.beginConfiguration()
        session.sessionPreset = .hd1280x720
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [
            kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange
        ]
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: queue)
        if session.canAddInput(input), session.canAddOutput(output) {
            session.addInput(input)
            session.addOutput(output)
        }
        session.commitConfiguration()
        session.startRunning()
    }

    func captureOutput(
        _ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer,
        from connection: AVCaptureConnection
    ) {
        guard !busy, let pixels = CMSampleBufferGetImageBuffer(sampleBuffer) else { return }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return }
        let width = CVPixelBufferGetWidthOfPlane(pixels, 0)
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let stride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        let luma = Data(bytes: base, count: stride * height)
        busy = true
        let onFrame = onFrame
        Task { [weak self] in
            await onFrame(UInt32(width), UInt32(height), UInt32(stride), luma)
            self?.queue.async { self?.busy = false }
        }
    }
}
