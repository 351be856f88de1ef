import CoreLocation
import GridlineShell
import MapLibre
import SharedTypes
import SwiftUI

/// Cases as pins on the county's basemap (MapLibre Native). Each pin is
/// placed with the pair of coordinates that matches the tile source's
/// system, which the core supplies (`TileSource.place`); a tap on a pin
/// opens its case.
struct CaseMapView: UIViewRepresentable {
    let cases: [CaseItem]
    @ObservedObject var settings: Settings
    let open: (String) -> Void

    func makeCoordinator() -> Pins { Pins() }

    func makeUIView(context: Context) -> MLNMapView {
        let map = MLNMapView(frame: .zero)
        map.delegate = context.coordinator
        map.showsUserLocation = false
        return map
    }

    func updateUIView(_ map: MLNMapView, context: Context) {
        let pins = context.coordinator
        pins.open = open
        if pins.tiles != settings.tiles {
            pins.tiles = settings.tiles
            map.styleURL = Pins.styleURL(settings.tiles)
        }
        pins.show(cases, on: map)
    }

    final class Pins: NSObject, MLNMapViewDelegate {
        var open: (String) -> Void = { _ in }
        var tiles: TileSource?
        private var shown: [String: MLNPointAnnotation] = [:]
        private var placedFor: [String] = []

        /// A style URL as it is; a raster template as a style file of its own.
        static func styleURL(_ t: TileSource) -> URL? {
            guard t.isTemplate else { return URL(string: t.url) }
            guard let json = try? t.rasterStyle() else { return nil }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("gridline-basemap.json")
            try? json.write(to: file, atomically: true, encoding: .utf8)
            return file
        }

        func show(_ cases: [CaseItem], on map: MLNMapView) {
            guard let tiles else { return }
            let placed = cases.compactMap { c -> (String, CLLocationCoordinate2D, String)? in
                guard let p = c.point else { return nil }
                let at = tiles.place(p)
                return (c.id, CLLocationCoordinate2D(latitude: at.lat, longitude: at.lon), c.category)
            }
            let key = placed.map { "\($0.0)@\($0.1.latitude),\($0.1.longitude)" }
            guard key != placedFor else { return }
            placedFor = key
            map.removeAnnotations(Array(shown.values))
            shown = [:]
            for (id, at, title) in placed {
                let pin = MLNPointAnnotation()
                pin.coordinate = at
                pin.title = title
                shown[id] = pin
            }
            map.addAnnotations(Array(shown.values))
            var coords = placed.map(\.1)
            if coords.count == 1 {
                map.setCenter(coords[0], zoomLevel: 15, animated: false)
            } else if coords.count > 1 {
                map.setVisibleCoordinates(&coords, count: UInt(coords.count), edgePadding: UIEdgeInsets(top: 48, left: 48, bottom: 48, right: 48), animated: false)
            }
        }

        func mapView(_ map: MLNMapView, didSelect annotation: MLNAnnotation) {
            map.deselectAnnotation(annotation, animated: false)
            if let id = shown.first(where: { $0.value === annotation })?.key { open(id) }
        }

        func mapView(_: MLNMapView, annotationCanShowCallout _: MLNAnnotation) -> Bool { false }
    }
}
