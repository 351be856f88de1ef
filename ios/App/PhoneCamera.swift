import GridlineShell
import SharedTypes
import UIKit

/// Photos from the camera or the photo library. When the core asks, the
/// request is published (`asking`) and `RootView` presents the camera or
/// the picker; what the user chose comes back through `deliver`. Pictures
/// are turned upright, scaled to at most 1,600 px on the long side and
/// sent as JPEG: what a case needs, and what a 2G upload can carry.
final class PhoneCamera: NSObject, ObservableObject, PhotoSource, @unchecked Sendable {
    static let longSide: CGFloat = 1600

    /// What the screen should present now (main queue).
    @Published var asking: PhotoOperation?
    private var waiting: CheckedContinuation<PhotoResult, Never>?

    func capture(_ op: PhotoOperation) async -> PhotoResult {
        await withCheckedContinuation { cont in
            DispatchQueue.main.async {
                guard UIApplication.shared.applicationState == .active else {
                    return cont.resume(returning: .failed(reason: NSLocalizedString("open_to_photograph", comment: "")))
                }
                if op == .take && !UIImagePickerController.isSourceTypeAvailable(.camera) {
                    return cont.resume(returning: .failed(reason: NSLocalizedString("no_camera", comment: "")))
                }
                self.waiting?.resume(returning: .cancelled)
                self.waiting = cont
                self.asking = op
            }
        }
    }

    /// The user's picture, or nil when they cancelled (main queue; a second
    /// call for the same request does nothing).
    func deliver(_ image: UIImage?) {
        asking = nil
        guard let cont = waiting else { return }
        waiting = nil
        guard let image else { return cont.resume(returning: .cancelled) }
        DispatchQueue.global(qos: .userInitiated).async {
            guard let jpeg = PhoneCamera.shrink(image) else {
                return cont.resume(returning: .failed(reason: NSLocalizedString("photo_unreadable", comment: "")))
            }
            cont.resume(returning: .photo(bytes: [UInt8](jpeg), mime: "image/jpeg"))
        }
    }

    static func shrink(_ image: UIImage) -> Data? {
        let w = image.size.width * image.scale
        let h = image.size.height * image.scale
        guard w > 0, h > 0 else { return nil }
        let k = min(1, longSide / max(w, h))
        let size = CGSize(width: (w * k).rounded(), height: (h * k).rounded())
        let format = UIGraphicsImageRendererFormat()
        format.scale = 1
        // draw(in:) applies the picture's orientation: the result is upright.
        let upright = UIGraphicsImageRenderer(size: size, format: format).image { _ in
            image.draw(in: CGRect(origin: .zero, size: size))
        }
        return upright.jpegData(compressionQuality: 0.85)
    }
}
