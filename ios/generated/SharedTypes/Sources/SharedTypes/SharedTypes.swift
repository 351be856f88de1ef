import Serde

func serializeArray<T, S: Serializer>(
    value: [T],
    serializer: S,
    serializeElement: (T, S) throws -> Void
) throws {
    try serializer.serialize_len(value: value.count)
    for item in value {
        try serializeElement(item, serializer)
    }
}

func deserializeArray<T, D: Deserializer>(
    deserializer: D,
    deserializeElement: (D) throws -> T
) throws -> [T] {
    let length = try deserializer.deserialize_len()
    var obj: [T] = []
    for _ in 0..<length {
        obj.append(try deserializeElement(deserializer))
    }
    return obj
}

func serializeOption<T, S: Serializer>(
    value: T?,
    serializer: S,
    serializeElement: (T, S) throws -> Void
) throws {
    if let value = value {
        try serializer.serialize_option_tag(value: true)
        try serializeElement(value, serializer)
    } else {
        try serializer.serialize_option_tag(value: false)
    }
}

func deserializeOption<T, D: Deserializer>(
    deserializer: D,
    deserializeElement: (D) throws -> T
) throws -> T? {
    let tag = try deserializer.deserialize_option_tag()
    if tag {
        return try deserializeElement(deserializer)
    } else {
        return nil
    }
}

public struct ActionButton: Hashable, Equatable {
    /// `sign_for`, `resolve`…: which form to open.
    public var action: String
    public var label: String

    public init(action: String, label: String) {
        self.action = action
        self.label = label
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.action)
        try serializer.serialize_str(value: self.label)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> ActionButton {
        try deserializer.increase_container_depth()
        let action = try deserializer.deserialize_str()
        let label = try deserializer.deserialize_str()
        try deserializer.decrease_container_depth()
        return ActionButton(action: action, label: label)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> ActionButton {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// An action on a case, as its form collects it.
indirect public enum ActionInput: Hashable, Equatable {
    case signFor
    case start
    case note(text: String)
    /// Ask the township to bring in departments (by unit id) with a task,
    /// due in `days` days.
    case requestCoHandling(units: [String], task: String, days: UInt32)
    /// `outcome`: `mediated`, `agreement_signed`, `handled`…
    case resolve(outcome: String, summary: String)
    case escalate(reason: String)
    /// Not ours: send it back to be reassigned.
    case `return`(reason: String)
    /// 1 to 5 stars, by the resident who asked.
    case rate(stars: UInt8, comment: String)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .signFor:
            try serializer.serialize_variant_index(value: 0)
        case .start:
            try serializer.serialize_variant_index(value: 1)
        case .note(let text):
            try serializer.serialize_variant_index(value: 2)
            try serializer.serialize_str(value: text)
        case .requestCoHandling(let units, let task, let days):
            try serializer.serialize_variant_index(value: 3)
            try serializeArray(value: units, serializer: serializer) { item, serializer in
                try serializer.serialize_str(value: item)
            }
            try serializer.serialize_str(value: task)
            try serializer.serialize_u32(value: days)
        case .resolve(let outcome, let summary):
            try serializer.serialize_variant_index(value: 4)
            try serializer.serialize_str(value: outcome)
            try serializer.serialize_str(value: summary)
        case .escalate(let reason):
            try serializer.serialize_variant_index(value: 5)
            try serializer.serialize_str(value: reason)
        case .return(let reason):
            try serializer.serialize_variant_index(value: 6)
            try serializer.serialize_str(value: reason)
        case .rate(let stars, let comment):
            try serializer.serialize_variant_index(value: 7)
            try serializer.serialize_u8(value: stars)
            try serializer.serialize_str(value: comment)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> ActionInput {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .signFor
        case 1:
            try deserializer.decrease_container_depth()
            return .start
        case 2:
            let text = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .note(text: text)
        case 3:
            let units = try deserializeArray(deserializer: deserializer) { deserializer in
                try deserializer.deserialize_str()
            }
            let task = try deserializer.deserialize_str()
            let days = try deserializer.deserialize_u32()
            try deserializer.decrease_container_depth()
            return .requestCoHandling(units: units, task: task, days: days)
        case 4:
            let outcome = try deserializer.deserialize_str()
            let summary = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .resolve(outcome: outcome, summary: summary)
        case 5:
            let reason = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .escalate(reason: reason)
        case 6:
            let reason = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .return(reason: reason)
        case 7:
            let stars = try deserializer.deserialize_u8()
            let comment = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .rate(stars: stars, comment: comment)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for ActionInput: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> ActionInput {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct CaseDetail: Hashable, Equatable {
    public var item: CaseItem
    public var description: String
    public var assignee: String?
    public var tier: String
    /// Names and roles of the parties, when this user may see them.
    public var parties: [String]
    public var outcome: String?
    public var rating: UInt8?
    public var history: [HistoryRow]
    public var photos: [PhotoRow]
    /// What the user may do now.
    public var actions: [ActionButton]
    /// Changes made here, waiting to be sent.
    public var waiting: [String]
    /// Changes made here the server refused, and why.
    public var conflicts: [String]
    /// The resolve form's choices (first mediation and every later tier):
    /// how the matter ended, disputes' outcomes first. Empty unless
    /// `resolve` is among the actions.
    public var outcomes: [Choice]
    /// The co-handling form's choices: the departments this user may call
    /// in, nearest first, `code` being the unit id the action takes. Empty
    /// unless `request_co_handling` is among the actions.
    public var departments: [Choice]

    public init(item: CaseItem, description: String, assignee: String?, tier: String, parties: [String], outcome: String?, rating: UInt8?, history: [HistoryRow], photos: [PhotoRow], actions: [ActionButton], waiting: [String], conflicts: [String], outcomes: [Choice], departments: [Choice]) {
        self.item = item
        self.description = description
        self.assignee = assignee
        self.tier = tier
        self.parties = parties
        self.outcome = outcome
        self.rating = rating
        self.history = history
        self.photos = photos
        self.actions = actions
        self.waiting = waiting
        self.conflicts = conflicts
        self.outcomes = outcomes
        self.departments = departments
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try self.item.serialize(serializer: serializer)
        try serializer.serialize_str(value: self.description)
        try serializeOption(value: self.assignee, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.serialize_str(value: self.tier)
        try serializeArray(value: self.parties, serializer: serializer) { item, serializer in
            try serializer.serialize_str(value: item)
        }
        try serializeOption(value: self.outcome, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializeOption(value: self.rating, serializer: serializer) { value, serializer in
            try serializer.serialize_u8(value: value)
        }
        try serializeArray(value: self.history, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializeArray(value: self.photos, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializeArray(value: self.actions, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializeArray(value: self.waiting, serializer: serializer) { item, serializer in
            try serializer.serialize_str(value: item)
        }
        try serializeArray(value: self.conflicts, serializer: serializer) { item, serializer in
            try serializer.serialize_str(value: item)
        }
        try serializeArray(value: self.outcomes, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializeArray(value: self.departments, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> CaseDetail {
        try deserializer.increase_container_depth()
        let item = try CaseItem.deserialize(deserializer: deserializer)
        let description = try deserializer.deserialize_str()
        let assignee = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let tier = try deserializer.deserialize_str()
        let parties = try deserializeArray(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let outcome = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let rating = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_u8()
        }
        let history = try deserializeArray(deserializer: deserializer) { deserializer in
            try HistoryRow.deserialize(deserializer: deserializer)
        }
        let photos = try deserializeArray(deserializer: deserializer) { deserializer in
            try PhotoRow.deserialize(deserializer: deserializer)
        }
        let actions = try deserializeArray(deserializer: deserializer) { deserializer in
            try ActionButton.deserialize(deserializer: deserializer)
        }
        let waiting = try deserializeArray(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let conflicts = try deserializeArray(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let outcomes = try deserializeArray(deserializer: deserializer) { deserializer in
            try Choice.deserialize(deserializer: deserializer)
        }
        let departments = try deserializeArray(deserializer: deserializer) { deserializer in
            try Choice.deserialize(deserializer: deserializer)
        }
        try deserializer.decrease_container_depth()
        return CaseDetail(item: item, description: description, assignee: assignee, tier: tier, parties: parties, outcome: outcome, rating: rating, history: history, photos: photos, actions: actions, waiting: waiting, conflicts: conflicts, outcomes: outcomes, departments: departments)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> CaseDetail {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct CaseItem: Hashable, Equatable {
    public var id: String
    public var category: String
    public var summary: String
    public var status: String
    public var statusLabel: String
    public var place: String
    /// "sign for by 11-22 17:00", "due 11-28 17:00".
    public var deadline: String?
    public var urgency: Urgency
    /// Changes made here wait to be sent.
    public var waiting: Bool
    /// A change made here was refused (a conflict).
    public var conflict: Bool
    /// Where it is, for a map; absent when unknown.
    public var point: MapPoint?

    public init(id: String, category: String, summary: String, status: String, statusLabel: String, place: String, deadline: String?, urgency: Urgency, waiting: Bool, conflict: Bool, point: MapPoint?) {
        self.id = id
        self.category = category
        self.summary = summary
        self.status = status
        self.statusLabel = statusLabel
        self.place = place
        self.deadline = deadline
        self.urgency = urgency
        self.waiting = waiting
        self.conflict = conflict
        self.point = point
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.id)
        try serializer.serialize_str(value: self.category)
        try serializer.serialize_str(value: self.summary)
        try serializer.serialize_str(value: self.status)
        try serializer.serialize_str(value: self.statusLabel)
        try serializer.serialize_str(value: self.place)
        try serializeOption(value: self.deadline, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try self.urgency.serialize(serializer: serializer)
        try serializer.serialize_bool(value: self.waiting)
        try serializer.serialize_bool(value: self.conflict)
        try serializeOption(value: self.point, serializer: serializer) { value, serializer in
            try value.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> CaseItem {
        try deserializer.increase_container_depth()
        let id = try deserializer.deserialize_str()
        let category = try deserializer.deserialize_str()
        let summary = try deserializer.deserialize_str()
        let status = try deserializer.deserialize_str()
        let statusLabel = try deserializer.deserialize_str()
        let place = try deserializer.deserialize_str()
        let deadline = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let urgency = try Urgency.deserialize(deserializer: deserializer)
        let waiting = try deserializer.deserialize_bool()
        let conflict = try deserializer.deserialize_bool()
        let point = try deserializeOption(deserializer: deserializer) { deserializer in
            try MapPoint.deserialize(deserializer: deserializer)
        }
        try deserializer.decrease_container_depth()
        return CaseItem(id: id, category: category, summary: summary, status: status, statusLabel: statusLabel, place: place, deadline: deadline, urgency: urgency, waiting: waiting, conflict: conflict, point: point)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> CaseItem {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct Choice: Hashable, Equatable {
    public var code: String
    public var label: String
    public var selected: Bool

    public init(code: String, label: String, selected: Bool) {
        self.code = code
        self.label = label
        self.selected = selected
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.code)
        try serializer.serialize_str(value: self.label)
        try serializer.serialize_bool(value: self.selected)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Choice {
        try deserializer.increase_container_depth()
        let code = try deserializer.deserialize_str()
        let label = try deserializer.deserialize_str()
        let selected = try deserializer.deserialize_bool()
        try deserializer.decrease_container_depth()
        return Choice(code: code, label: label, selected: selected)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Choice {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// A change to the report being written.
indirect public enum DraftEdit: Hashable, Equatable {
    case category(code: String)
    case description(text: String)
    /// Ask the phone where it is.
    case useMyLocation
    /// A point set on the map (WGS84, or GCJ-02 from a Chinese map).
    case pin(lat: Double, lon: Double, crs: String)
    case addParty(name: String, side: String, phone: String, idNumber: String)
    case removeParty(index: UInt32)
    case peopleAffected(count: UInt32)
    case amountYuan(amount: UInt64)
    case takePhoto
    case pickPhoto
    case removePhoto(index: UInt32)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .category(let code):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_str(value: code)
        case .description(let text):
            try serializer.serialize_variant_index(value: 1)
            try serializer.serialize_str(value: text)
        case .useMyLocation:
            try serializer.serialize_variant_index(value: 2)
        case .pin(let lat, let lon, let crs):
            try serializer.serialize_variant_index(value: 3)
            try serializer.serialize_f64(value: lat)
            try serializer.serialize_f64(value: lon)
            try serializer.serialize_str(value: crs)
        case .addParty(let name, let side, let phone, let idNumber):
            try serializer.serialize_variant_index(value: 4)
            try serializer.serialize_str(value: name)
            try serializer.serialize_str(value: side)
            try serializer.serialize_str(value: phone)
            try serializer.serialize_str(value: idNumber)
        case .removeParty(let index):
            try serializer.serialize_variant_index(value: 5)
            try serializer.serialize_u32(value: index)
        case .peopleAffected(let count):
            try serializer.serialize_variant_index(value: 6)
            try serializer.serialize_u32(value: count)
        case .amountYuan(let amount):
            try serializer.serialize_variant_index(value: 7)
            try serializer.serialize_u64(value: amount)
        case .takePhoto:
            try serializer.serialize_variant_index(value: 8)
        case .pickPhoto:
            try serializer.serialize_variant_index(value: 9)
        case .removePhoto(let index):
            try serializer.serialize_variant_index(value: 10)
            try serializer.serialize_u32(value: index)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> DraftEdit {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let code = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .category(code: code)
        case 1:
            let text = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .description(text: text)
        case 2:
            try deserializer.decrease_container_depth()
            return .useMyLocation
        case 3:
            let lat = try deserializer.deserialize_f64()
            let lon = try deserializer.deserialize_f64()
            let crs = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .pin(lat: lat, lon: lon, crs: crs)
        case 4:
            let name = try deserializer.deserialize_str()
            let side = try deserializer.deserialize_str()
            let phone = try deserializer.deserialize_str()
            let idNumber = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .addParty(name: name, side: side, phone: phone, idNumber: idNumber)
        case 5:
            let index = try deserializer.deserialize_u32()
            try deserializer.decrease_container_depth()
            return .removeParty(index: index)
        case 6:
            let count = try deserializer.deserialize_u32()
            try deserializer.decrease_container_depth()
            return .peopleAffected(count: count)
        case 7:
            let amount = try deserializer.deserialize_u64()
            try deserializer.decrease_container_depth()
            return .amountYuan(amount: amount)
        case 8:
            try deserializer.decrease_container_depth()
            return .takePhoto
        case 9:
            try deserializer.decrease_container_depth()
            return .pickPhoto
        case 10:
            let index = try deserializer.deserialize_u32()
            try deserializer.decrease_container_depth()
            return .removePhoto(index: index)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for DraftEdit: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> DraftEdit {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Represents a duration of time, internally stored as nanoseconds
public struct Duration: Hashable, Equatable {
    public var nanos: UInt64

    public init(nanos: UInt64) {
        self.nanos = nanos
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_u64(value: self.nanos)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Duration {
        try deserializer.increase_container_depth()
        let nanos = try deserializer.deserialize_u64()
        try deserializer.decrease_container_depth()
        return Duration(nanos: nanos)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Duration {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum Effect: Hashable, Equatable {
    case render(RenderOperation)
    case http(HttpRequest)
    case keyValue(KeyValueOperation)
    case time(TimeRequest)
    case location(LocationOperation)
    case photo(PhotoOperation)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .render(let x):
            try serializer.serialize_variant_index(value: 0)
            try x.serialize(serializer: serializer)
        case .http(let x):
            try serializer.serialize_variant_index(value: 1)
            try x.serialize(serializer: serializer)
        case .keyValue(let x):
            try serializer.serialize_variant_index(value: 2)
            try x.serialize(serializer: serializer)
        case .time(let x):
            try serializer.serialize_variant_index(value: 3)
            try x.serialize(serializer: serializer)
        case .location(let x):
            try serializer.serialize_variant_index(value: 4)
            try x.serialize(serializer: serializer)
        case .photo(let x):
            try serializer.serialize_variant_index(value: 5)
            try x.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Effect {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let x = try RenderOperation.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .render(x)
        case 1:
            let x = try HttpRequest.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .http(x)
        case 2:
            let x = try KeyValueOperation.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .keyValue(x)
        case 3:
            let x = try TimeRequest.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .time(x)
        case 4:
            let x = try LocationOperation.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .location(x)
        case 5:
            let x = try PhotoOperation.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .photo(x)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Effect: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Effect {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum Event: Hashable, Equatable {
    /// The app was launched: read what was stored. `platform` is
    /// `android`, `ios` or `other`; both go to the server when the phone
    /// registers.
    case start(platform: String, appVersion: String)
    /// The app is on screen: sync now and keep a long poll open.
    case foreground
    /// The app went to the background: no long poll; a timer retries.
    case background
    case setLanguage(lang: Lang)
    case login(server: String, username: String, password: String)
    /// Leave the account. Refused while changes wait to be sent.
    case logout
    case open(route: Route)
    case back
    case draft(edit: DraftEdit)
    case submitReport
    case discardDraft
    case act(caseId: String, input: ActionInput)
    case recordVisit(watchId: String, note: String)
    /// Try to sync now (pull to refresh).
    case syncNow
    /// The user has read the refused changes and the storage error.
    case dismissNotices

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .start(let platform, let appVersion):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_str(value: platform)
            try serializer.serialize_str(value: appVersion)
        case .foreground:
            try serializer.serialize_variant_index(value: 1)
        case .background:
            try serializer.serialize_variant_index(value: 2)
        case .setLanguage(let lang):
            try serializer.serialize_variant_index(value: 3)
            try lang.serialize(serializer: serializer)
        case .login(let server, let username, let password):
            try serializer.serialize_variant_index(value: 4)
            try serializer.serialize_str(value: server)
            try serializer.serialize_str(value: username)
            try serializer.serialize_str(value: password)
        case .logout:
            try serializer.serialize_variant_index(value: 5)
        case .open(let route):
            try serializer.serialize_variant_index(value: 6)
            try route.serialize(serializer: serializer)
        case .back:
            try serializer.serialize_variant_index(value: 7)
        case .draft(let edit):
            try serializer.serialize_variant_index(value: 8)
            try edit.serialize(serializer: serializer)
        case .submitReport:
            try serializer.serialize_variant_index(value: 9)
        case .discardDraft:
            try serializer.serialize_variant_index(value: 10)
        case .act(let caseId, let input):
            try serializer.serialize_variant_index(value: 11)
            try serializer.serialize_str(value: caseId)
            try input.serialize(serializer: serializer)
        case .recordVisit(let watchId, let note):
            try serializer.serialize_variant_index(value: 12)
            try serializer.serialize_str(value: watchId)
            try serializer.serialize_str(value: note)
        case .syncNow:
            try serializer.serialize_variant_index(value: 13)
        case .dismissNotices:
            try serializer.serialize_variant_index(value: 14)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Event {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let platform = try deserializer.deserialize_str()
            let appVersion = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .start(platform: platform, appVersion: appVersion)
        case 1:
            try deserializer.decrease_container_depth()
            return .foreground
        case 2:
            try deserializer.decrease_container_depth()
            return .background
        case 3:
            let lang = try Lang.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .setLanguage(lang: lang)
        case 4:
            let server = try deserializer.deserialize_str()
            let username = try deserializer.deserialize_str()
            let password = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .login(server: server, username: username, password: password)
        case 5:
            try deserializer.decrease_container_depth()
            return .logout
        case 6:
            let route = try Route.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .open(route: route)
        case 7:
            try deserializer.decrease_container_depth()
            return .back
        case 8:
            let edit = try DraftEdit.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .draft(edit: edit)
        case 9:
            try deserializer.decrease_container_depth()
            return .submitReport
        case 10:
            try deserializer.decrease_container_depth()
            return .discardDraft
        case 11:
            let caseId = try deserializer.deserialize_str()
            let input = try ActionInput.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .act(caseId: caseId, input: input)
        case 12:
            let watchId = try deserializer.deserialize_str()
            let note = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .recordVisit(watchId: watchId, note: note)
        case 13:
            try deserializer.decrease_container_depth()
            return .syncNow
        case 14:
            try deserializer.decrease_container_depth()
            return .dismissNotices
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Event: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Event {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// A position fix, in the coordinate system the phone's location service
/// reports: WGS84 from GPS and the platform APIs (`crs` "wgs84"); some
/// Chinese map SDKs report GCJ-02 ("gcj02").
public struct Fix: Hashable, Equatable {
    public var lat: Double
    public var lon: Double
    /// Radius of 68 % confidence, metres.
    public var accuracyM: Double
    public var crs: String

    public init(lat: Double, lon: Double, accuracyM: Double, crs: String) {
        self.lat = lat
        self.lon = lon
        self.accuracyM = accuracyM
        self.crs = crs
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_f64(value: self.lat)
        try serializer.serialize_f64(value: self.lon)
        try serializer.serialize_f64(value: self.accuracyM)
        try serializer.serialize_str(value: self.crs)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Fix {
        try deserializer.increase_container_depth()
        let lat = try deserializer.deserialize_f64()
        let lon = try deserializer.deserialize_f64()
        let accuracyM = try deserializer.deserialize_f64()
        let crs = try deserializer.deserialize_str()
        try deserializer.decrease_container_depth()
        return Fix(lat: lat, lon: lon, accuracyM: accuracyM, crs: crs)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Fix {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct HistoryRow: Hashable, Equatable {
    public var at: String
    public var who: String
    public var what: String

    public init(at: String, who: String, what: String) {
        self.at = at
        self.who = who
        self.what = what
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.at)
        try serializer.serialize_str(value: self.who)
        try serializer.serialize_str(value: self.what)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HistoryRow {
        try deserializer.increase_container_depth()
        let at = try deserializer.deserialize_str()
        let who = try deserializer.deserialize_str()
        let what = try deserializer.deserialize_str()
        try deserializer.decrease_container_depth()
        return HistoryRow(at: at, who: who, what: what)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HistoryRow {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct HomeView: Hashable, Equatable {
    /// `grid_worker`, `village_cadre`, `resident` or another role's code.
    public var role: String
    public var title: String
    /// The first [`cases::HOME_LIMIT`] rows, most pressing first.
    public var cases: [CaseItem]
    /// Rows beyond those (shown as "and N more").
    public var more: UInt32
    /// Watched households whose visit is due or late (grid workers).
    public var visitsDue: UInt32
    /// The label of the new-report button, when the role reports.
    public var newLabel: String?

    public init(role: String, title: String, cases: [CaseItem], more: UInt32, visitsDue: UInt32, newLabel: String?) {
        self.role = role
        self.title = title
        self.cases = cases
        self.more = more
        self.visitsDue = visitsDue
        self.newLabel = newLabel
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.role)
        try serializer.serialize_str(value: self.title)
        try serializeArray(value: self.cases, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.serialize_u32(value: self.more)
        try serializer.serialize_u32(value: self.visitsDue)
        try serializeOption(value: self.newLabel, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HomeView {
        try deserializer.increase_container_depth()
        let role = try deserializer.deserialize_str()
        let title = try deserializer.deserialize_str()
        let cases = try deserializeArray(deserializer: deserializer) { deserializer in
            try CaseItem.deserialize(deserializer: deserializer)
        }
        let more = try deserializer.deserialize_u32()
        let visitsDue = try deserializer.deserialize_u32()
        let newLabel = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        try deserializer.decrease_container_depth()
        return HomeView(role: role, title: title, cases: cases, more: more, visitsDue: visitsDue, newLabel: newLabel)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HomeView {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// An error produced when an HTTP request fails.
/// 
/// Variants fall into two groups:
/// 
/// **Transport errors** — generated by the shell when it cannot complete the HTTP
/// exchange. These cross the FFI boundary and are serialized in the protocol:
/// [`Url`](HttpError::Url), [`Io`](HttpError::Io), [`Timeout`](HttpError::Timeout).
/// 
/// **Processing errors** — generated on the Rust side after a response arrives.
/// These are never serialized or visible to shells:
/// 
/// - [`Http`](HttpError::Http) — produced by `Response::new()` when the server returns
/// a 4xx or 5xx status, and **only** then. At the *protocol* level these arrive as
/// [`HttpResult::Ok`](crate::protocol::HttpResult::Ok); `Response::new()` converts
/// them here, so app code using `crux_http::Result<Response<T>>` will see them as
/// `Err(HttpError::Http { code, .. })` — **never** as `Ok(response)` with an error
/// status.
/// - [`Json`](HttpError::Json) — produced when response body deserialisation fails.
/// - [`BodyAlreadyTaken`](HttpError::BodyAlreadyTaken) — a caller took the response body
/// twice.
/// - [`InvalidStatusCode`](HttpError::InvalidStatusCode) — the shell sent a status that
/// isn't valid HTTP.
/// 
/// # Reading what the server said
/// 
/// Because a rejection arrives as an error rather than a response, everything the server
/// sent with it lives on this type: [`HttpError::body`] and [`HttpError::body_json`] for
/// the body, [`HttpError::header`] and [`HttpError::content_type`] for the headers. No
/// matching on the variant's fields required:
/// 
/// ```
/// # use serde::Deserialize;
/// #[derive(Deserialize)]
/// struct ApiError {
/// error: String,
/// }
/// 
/// // the `crux_http::Result` a feature receives when the server rejects a request
/// let result: crux_http::Result<crux_http::Response<Vec<u8>>> =
/// crux_http::testing::rejection(409, r#"{"error":"that overlaps a booked day"}"#);
/// 
/// let error = result.expect_err("a 409 is never Ok");
/// assert_eq!(error.code(), Some(409));
/// assert_eq!(
/// error.body_json::<ApiError>().unwrap().error,
/// "that overlaps a booked day"
/// );
/// ```
indirect public enum HttpError: Hashable, Equatable {
    /// The request URL could not be parsed.
    case url(String)
    /// An IO error prevented the request from completing.
    case io(String)
    /// The request timed out before a response was received.
    case timeout

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .url(let x):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_str(value: x)
        case .io(let x):
            try serializer.serialize_variant_index(value: 1)
            try serializer.serialize_str(value: x)
        case .timeout:
            try serializer.serialize_variant_index(value: 2)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HttpError {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let x = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .url(x)
        case 1:
            let x = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .io(x)
        case 2:
            try deserializer.decrease_container_depth()
            return .timeout
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for HttpError: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HttpError {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct HttpHeader: Hashable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.name)
        try serializer.serialize_str(value: self.value)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HttpHeader {
        try deserializer.increase_container_depth()
        let name = try deserializer.deserialize_str()
        let value = try deserializer.deserialize_str()
        try deserializer.decrease_container_depth()
        return HttpHeader(name: name, value: value)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HttpHeader {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// A raw HTTP request, as sent to the shell over the protocol boundary.
/// 
/// # No header validation
/// 
/// All fields are plain strings. Header names and values are carried as-is with no
/// validation against the HTTP specification. This is intentional: `HttpRequest` is a
/// cross-language data carrier deserialised by Swift, Kotlin, and TypeScript shells;
/// Rust's `http`-crate validation rules cannot be enforced on the other side of that
/// boundary.
/// 
/// **Shell authors must not assume that header names or values are well-formed.**
/// Pass them to your underlying HTTP client as-is — it will apply its own rules.
/// 
/// For the ergonomic Rust-side builder that *does* validate header values (and panics
/// on invalid input), see [`crate::command::RequestBuilder`].
public struct HttpRequest: Hashable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HttpHeader]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [HttpHeader], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.method)
        try serializer.serialize_str(value: self.url)
        try serializeArray(value: self.headers, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.serialize_bytes(value: self.body)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HttpRequest {
        try deserializer.increase_container_depth()
        let method = try deserializer.deserialize_str()
        let url = try deserializer.deserialize_str()
        let headers = try deserializeArray(deserializer: deserializer) { deserializer in
            try HttpHeader.deserialize(deserializer: deserializer)
        }
        let body = try deserializer.deserialize_bytes()
        try deserializer.decrease_container_depth()
        return HttpRequest(method: method, url: url, headers: headers, body: body)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HttpRequest {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct HttpResponse: Hashable, Equatable {
    public var status: UInt16
    public var headers: [HttpHeader]
    public var body: [UInt8]

    public init(status: UInt16, headers: [HttpHeader], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_u16(value: self.status)
        try serializeArray(value: self.headers, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.serialize_bytes(value: self.body)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HttpResponse {
        try deserializer.increase_container_depth()
        let status = try deserializer.deserialize_u16()
        let headers = try deserializeArray(deserializer: deserializer) { deserializer in
            try HttpHeader.deserialize(deserializer: deserializer)
        }
        let body = try deserializer.deserialize_bytes()
        try deserializer.decrease_container_depth()
        return HttpResponse(status: status, headers: headers, body: body)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HttpResponse {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// The result of an HTTP request, as returned by the shell over the protocol boundary.
/// 
/// # Status codes are not errors
/// 
/// Any completed HTTP exchange — including responses with 4xx or 5xx status codes — is
/// returned as [`HttpResult::Ok`]. Only *transport-level* failures (the shell could not
/// reach the server at all) produce [`HttpResult::Err`].
/// 
/// To act on an error status, inspect [`HttpResponse::status`]:
/// 
/// ```
/// # use crux_http::protocol::{HttpResult, HttpResponse};
/// # use crux_http::HttpError;
/// # fn handle(result: HttpResult) {
/// match result {
/// HttpResult::Ok(response) if response.status == 200 => { /* success */ }
/// HttpResult::Ok(response) if response.status == 404 => { /* not found */ }
/// HttpResult::Ok(response) if response.status >= 500 => { /* server error */ }
/// HttpResult::Ok(_) => { /* other status */ }
/// HttpResult::Err(e) => { /* transport failure: bad URL, IO error, or timeout */ }
/// }
/// # }
/// ```
indirect public enum HttpResult: Hashable, Equatable {
    /// The shell completed the HTTP exchange. The response may carry any status code,
    /// including 4xx and 5xx — inspect [`HttpResponse::status`] to distinguish them.
    case ok(HttpResponse)
    /// The shell could not complete the HTTP exchange due to a transport-level failure.
    /// See [`HttpError`] for the possible causes.
    case err(HttpError)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .ok(let x):
            try serializer.serialize_variant_index(value: 0)
            try x.serialize(serializer: serializer)
        case .err(let x):
            try serializer.serialize_variant_index(value: 1)
            try x.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> HttpResult {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let x = try HttpResponse.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .ok(x)
        case 1:
            let x = try HttpError.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .err(x)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for HttpResult: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> HttpResult {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Represents a point in time (UTC):
/// 
/// - seconds: number of seconds since the Unix epoch (1970-01-01T00:00:00Z)
/// - nanos: number of nanoseconds since the last second
public struct Instant: Hashable, Equatable {
    public var seconds: UInt64
    public var nanos: UInt32

    public init(seconds: UInt64, nanos: UInt32) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_u64(value: self.seconds)
        try serializer.serialize_u32(value: self.nanos)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Instant {
        try deserializer.increase_container_depth()
        let seconds = try deserializer.deserialize_u64()
        let nanos = try deserializer.deserialize_u32()
        try deserializer.decrease_container_depth()
        return Instant(seconds: seconds, nanos: nanos)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Instant {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Error type for `KeyValue` operations
indirect public enum KeyValueError: Hashable, Equatable {
    case io(message: String)
    case timeout
    case cursorNotFound
    case other(message: String)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .io(let message):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_str(value: message)
        case .timeout:
            try serializer.serialize_variant_index(value: 1)
        case .cursorNotFound:
            try serializer.serialize_variant_index(value: 2)
        case .other(let message):
            try serializer.serialize_variant_index(value: 3)
            try serializer.serialize_str(value: message)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> KeyValueError {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let message = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .io(message: message)
        case 1:
            try deserializer.decrease_container_depth()
            return .timeout
        case 2:
            try deserializer.decrease_container_depth()
            return .cursorNotFound
        case 3:
            let message = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .other(message: message)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for KeyValueError: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> KeyValueError {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Supported operations
indirect public enum KeyValueOperation: Hashable, Equatable {
    /// Read bytes stored under a key
    case get(key: String)
    /// Write bytes under a key
    case set(key: String, value: [UInt8])
    /// Remove a key and its value
    case delete(key: String)
    /// Test if a key exists
    case exists(key: String)
    case listKeys(prefix: String, cursor: UInt64)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .get(let key):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_str(value: key)
        case .set(let key, let value):
            try serializer.serialize_variant_index(value: 1)
            try serializer.serialize_str(value: key)
            try serializeArray(value: value, serializer: serializer) { item, serializer in
                try serializer.serialize_u8(value: item)
            }
        case .delete(let key):
            try serializer.serialize_variant_index(value: 2)
            try serializer.serialize_str(value: key)
        case .exists(let key):
            try serializer.serialize_variant_index(value: 3)
            try serializer.serialize_str(value: key)
        case .listKeys(let prefix, let cursor):
            try serializer.serialize_variant_index(value: 4)
            try serializer.serialize_str(value: prefix)
            try serializer.serialize_u64(value: cursor)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> KeyValueOperation {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let key = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .get(key: key)
        case 1:
            let key = try deserializer.deserialize_str()
            let value = try deserializeArray(deserializer: deserializer) { deserializer in
                try deserializer.deserialize_u8()
            }
            try deserializer.decrease_container_depth()
            return .set(key: key, value: value)
        case 2:
            let key = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .delete(key: key)
        case 3:
            let key = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .exists(key: key)
        case 4:
            let prefix = try deserializer.deserialize_str()
            let cursor = try deserializer.deserialize_u64()
            try deserializer.decrease_container_depth()
            return .listKeys(prefix: prefix, cursor: cursor)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for KeyValueOperation: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> KeyValueOperation {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum KeyValueResponse: Hashable, Equatable {
    /// Response to a `KeyValueOperation::Get`,
    /// returning the value stored under the key, which may be empty
    case get(value: Value)
    /// Response to a `KeyValueOperation::Set`,
    /// returning the value that was previously stored under the key, may be empty
    case set(previous: Value)
    /// Response to a `KeyValueOperation::Delete`,
    /// returning the value that was previously stored under the key, may be empty
    case delete(previous: Value)
    /// Response to a `KeyValueOperation::Exists`,
    /// returning whether the key is present in the store
    case exists(isPresent: Bool)
    /// Response to a `KeyValueOperation::ListKeys`,
    /// returning a list of keys that start with the prefix, and a cursor to continue listing
    /// if there are more keys
    /// 
    /// Note: the cursor is 0 if there are no more keys
    case listKeys(keys: [String], nextCursor: UInt64)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .get(let value):
            try serializer.serialize_variant_index(value: 0)
            try value.serialize(serializer: serializer)
        case .set(let previous):
            try serializer.serialize_variant_index(value: 1)
            try previous.serialize(serializer: serializer)
        case .delete(let previous):
            try serializer.serialize_variant_index(value: 2)
            try previous.serialize(serializer: serializer)
        case .exists(let isPresent):
            try serializer.serialize_variant_index(value: 3)
            try serializer.serialize_bool(value: isPresent)
        case .listKeys(let keys, let nextCursor):
            try serializer.serialize_variant_index(value: 4)
            try serializeArray(value: keys, serializer: serializer) { item, serializer in
                try serializer.serialize_str(value: item)
            }
            try serializer.serialize_u64(value: nextCursor)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> KeyValueResponse {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let value = try Value.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .get(value: value)
        case 1:
            let previous = try Value.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .set(previous: previous)
        case 2:
            let previous = try Value.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .delete(previous: previous)
        case 3:
            let isPresent = try deserializer.deserialize_bool()
            try deserializer.decrease_container_depth()
            return .exists(isPresent: isPresent)
        case 4:
            let keys = try deserializeArray(deserializer: deserializer) { deserializer in
                try deserializer.deserialize_str()
            }
            let nextCursor = try deserializer.deserialize_u64()
            try deserializer.decrease_container_depth()
            return .listKeys(keys: keys, nextCursor: nextCursor)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for KeyValueResponse: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> KeyValueResponse {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// The result of an operation on the store.
/// 
/// Note: we can't use [`core::result::Result`] here because it is not currently
/// supported across the FFI boundary, when using `typegen` or `facet_typegen`.
indirect public enum KeyValueResult: Hashable, Equatable {
    case ok(response: KeyValueResponse)
    case err(error: KeyValueError)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .ok(let response):
            try serializer.serialize_variant_index(value: 0)
            try response.serialize(serializer: serializer)
        case .err(let error):
            try serializer.serialize_variant_index(value: 1)
            try error.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> KeyValueResult {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let response = try KeyValueResponse.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .ok(response: response)
        case 1:
            let error = try KeyValueError.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .err(error: error)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for KeyValueResult: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> KeyValueResult {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// The language the screens speak.
indirect public enum Lang: Hashable, Equatable {
    /// Simplified Chinese (zh-Hans), the default.
    case zh
    case en

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .zh:
            try serializer.serialize_variant_index(value: 0)
        case .en:
            try serializer.serialize_variant_index(value: 1)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Lang {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .zh
        case 1:
            try deserializer.decrease_container_depth()
            return .en
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Lang: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Lang {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Ask the phone where it is.
indirect public enum LocationOperation: Hashable, Equatable {
    /// One fix, as good as the phone can get within `timeout_ms`.
    case current(timeoutMs: UInt32)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .current(let timeoutMs):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_u32(value: timeoutMs)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> LocationOperation {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let timeoutMs = try deserializer.deserialize_u32()
            try deserializer.decrease_container_depth()
            return .current(timeoutMs: timeoutMs)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for LocationOperation: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> LocationOperation {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum LocationResult: Hashable, Equatable {
    case fix(Fix)
    /// The user refused location access.
    case denied
    /// No fix in time (indoors, no signal).
    case unavailable(reason: String)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .fix(let x):
            try serializer.serialize_variant_index(value: 0)
            try x.serialize(serializer: serializer)
        case .denied:
            try serializer.serialize_variant_index(value: 1)
        case .unavailable(let reason):
            try serializer.serialize_variant_index(value: 2)
            try serializer.serialize_str(value: reason)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> LocationResult {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let x = try Fix.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .fix(x)
        case 1:
            try deserializer.decrease_container_depth()
            return .denied
        case 2:
            let reason = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .unavailable(reason: reason)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for LocationResult: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> LocationResult {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct LoginView: Hashable, Equatable {
    public var server: String
    public var username: String
    public var busy: Bool
    public var error: String?
    /// The session ran out: log in again; nothing waiting is lost.
    public var expired: Bool

    public init(server: String, username: String, busy: Bool, error: String?, expired: Bool) {
        self.server = server
        self.username = username
        self.busy = busy
        self.error = error
        self.expired = expired
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.server)
        try serializer.serialize_str(value: self.username)
        try serializer.serialize_bool(value: self.busy)
        try serializeOption(value: self.error, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.serialize_bool(value: self.expired)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> LoginView {
        try deserializer.increase_container_depth()
        let server = try deserializer.deserialize_str()
        let username = try deserializer.deserialize_str()
        let busy = try deserializer.deserialize_bool()
        let error = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let expired = try deserializer.deserialize_bool()
        try deserializer.decrease_container_depth()
        return LoginView(server: server, username: username, busy: busy, error: error, expired: expired)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> LoginView {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// A place in both systems a phone's basemap may use: WGS84 (OpenStreetMap,
/// Tianditu) and GCJ-02 (Amap, Tencent). The shell draws the pair that
/// matches its tile source; it never converts.
public struct MapPoint: Hashable, Equatable {
    public var lat: Double
    public var lon: Double
    public var gcj02Lat: Double
    public var gcj02Lon: Double

    public init(lat: Double, lon: Double, gcj02Lat: Double, gcj02Lon: Double) {
        self.lat = lat
        self.lon = lon
        self.gcj02Lat = gcj02Lat
        self.gcj02Lon = gcj02Lon
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_f64(value: self.lat)
        try serializer.serialize_f64(value: self.lon)
        try serializer.serialize_f64(value: self.gcj02Lat)
        try serializer.serialize_f64(value: self.gcj02Lon)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> MapPoint {
        try deserializer.increase_container_depth()
        let lat = try deserializer.deserialize_f64()
        let lon = try deserializer.deserialize_f64()
        let gcj02Lat = try deserializer.deserialize_f64()
        let gcj02Lon = try deserializer.deserialize_f64()
        try deserializer.decrease_container_depth()
        return MapPoint(lat: lat, lon: lon, gcj02Lat: gcj02Lat, gcj02Lon: gcj02Lon)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> MapPoint {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Ask the phone for a photo.
indirect public enum PhotoOperation: Hashable, Equatable {
    /// Open the camera.
    case take
    /// Pick one from the gallery.
    case pick

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .take:
            try serializer.serialize_variant_index(value: 0)
        case .pick:
            try serializer.serialize_variant_index(value: 1)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> PhotoOperation {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .take
        case 1:
            try deserializer.decrease_container_depth()
            return .pick
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for PhotoOperation: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> PhotoOperation {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum PhotoResult: Hashable, Equatable {
    /// JPEG or PNG bytes, already scaled down by the shell if it wishes.
    case photo(bytes: [UInt8], mime: String)
    case cancelled
    case failed(reason: String)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .photo(let bytes, let mime):
            try serializer.serialize_variant_index(value: 0)
            try serializer.serialize_bytes(value: bytes)
            try serializer.serialize_str(value: mime)
        case .cancelled:
            try serializer.serialize_variant_index(value: 1)
        case .failed(let reason):
            try serializer.serialize_variant_index(value: 2)
            try serializer.serialize_str(value: reason)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> PhotoResult {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let bytes = try deserializer.deserialize_bytes()
            let mime = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .photo(bytes: bytes, mime: mime)
        case 1:
            try deserializer.decrease_container_depth()
            return .cancelled
        case 2:
            let reason = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .failed(reason: reason)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for PhotoResult: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> PhotoResult {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct PhotoRow: Hashable, Equatable {
    public var id: String
    public var sha256: String
    /// The server has the bytes (`GET /v1/blobs/{sha256}`).
    public var available: Bool
    /// The bytes are on this phone, waiting to be uploaded.
    public var uploading: Bool

    public init(id: String, sha256: String, available: Bool, uploading: Bool) {
        self.id = id
        self.sha256 = sha256
        self.available = available
        self.uploading = uploading
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.id)
        try serializer.serialize_str(value: self.sha256)
        try serializer.serialize_bool(value: self.available)
        try serializer.serialize_bool(value: self.uploading)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> PhotoRow {
        try deserializer.increase_container_depth()
        let id = try deserializer.deserialize_str()
        let sha256 = try deserializer.deserialize_str()
        let available = try deserializer.deserialize_bool()
        let uploading = try deserializer.deserialize_bool()
        try deserializer.decrease_container_depth()
        return PhotoRow(id: id, sha256: sha256, available: available, uploading: uploading)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> PhotoRow {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// The single operation `Render` implements.
public struct RenderOperation: Hashable, Equatable {
    public init() {
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> RenderOperation {
        try deserializer.increase_container_depth()
        try deserializer.decrease_container_depth()
        return RenderOperation()
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> RenderOperation {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct ReportView: Hashable, Equatable {
    /// A resident's request rather than a grid worker's report.
    public var isRequest: Bool
    public var categories: [Choice]
    public var description: String
    /// "36.0512, 103.8301 ±8 m", or absent.
    public var location: String?
    public var locating: Bool
    public var parties: [String]
    public var photos: UInt32
    public var photoLimit: UInt32
    public var peopleAffected: UInt32
    public var amountYuan: UInt64
    public var problem: String?

    public init(isRequest: Bool, categories: [Choice], description: String, location: String?, locating: Bool, parties: [String], photos: UInt32, photoLimit: UInt32, peopleAffected: UInt32, amountYuan: UInt64, problem: String?) {
        self.isRequest = isRequest
        self.categories = categories
        self.description = description
        self.location = location
        self.locating = locating
        self.parties = parties
        self.photos = photos
        self.photoLimit = photoLimit
        self.peopleAffected = peopleAffected
        self.amountYuan = amountYuan
        self.problem = problem
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_bool(value: self.isRequest)
        try serializeArray(value: self.categories, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.serialize_str(value: self.description)
        try serializeOption(value: self.location, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.serialize_bool(value: self.locating)
        try serializeArray(value: self.parties, serializer: serializer) { item, serializer in
            try serializer.serialize_str(value: item)
        }
        try serializer.serialize_u32(value: self.photos)
        try serializer.serialize_u32(value: self.photoLimit)
        try serializer.serialize_u32(value: self.peopleAffected)
        try serializer.serialize_u64(value: self.amountYuan)
        try serializeOption(value: self.problem, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> ReportView {
        try deserializer.increase_container_depth()
        let isRequest = try deserializer.deserialize_bool()
        let categories = try deserializeArray(deserializer: deserializer) { deserializer in
            try Choice.deserialize(deserializer: deserializer)
        }
        let description = try deserializer.deserialize_str()
        let location = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let locating = try deserializer.deserialize_bool()
        let parties = try deserializeArray(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let photos = try deserializer.deserialize_u32()
        let photoLimit = try deserializer.deserialize_u32()
        let peopleAffected = try deserializer.deserialize_u32()
        let amountYuan = try deserializer.deserialize_u64()
        let problem = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        try deserializer.decrease_container_depth()
        return ReportView(isRequest: isRequest, categories: categories, description: description, location: location, locating: locating, parties: parties, photos: photos, photoLimit: photoLimit, peopleAffected: peopleAffected, amountYuan: amountYuan, problem: problem)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> ReportView {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Request for a side-effect passed from the Core to the Shell.
/// 
/// The `EffectId` links the `Request` with the corresponding call to [`Core::resolve`] to pass the data back
/// to the [`App::update`] function (wrapped in the event provided to the capability originating the effect).
public struct Request: Hashable, Equatable {
    public var id: UInt32
    public var effect: Effect

    public init(id: UInt32, effect: Effect) {
        self.id = id
        self.effect = effect
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_u32(value: self.id)
        try self.effect.serialize(serializer: serializer)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Request {
        try deserializer.increase_container_depth()
        let id = try deserializer.deserialize_u32()
        let effect = try Effect.deserialize(deserializer: deserializer)
        try deserializer.decrease_container_depth()
        return Request(id: id, effect: effect)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Request {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// A batch of effect requests from the Core to the Shell, as serialised by
/// [`Bridge::update`] and [`Bridge::resolve`].
/// 
/// The wire format is identical to `Vec<Request<Eff>>` (the newtype is
/// `serde(transparent)`), so existing shell code that already deserialises
/// a `Vec<Request>` remains binary-compatible.
/// 
/// Registering this type with the type-generation system causes the code
/// generators to emit a `Requests` type (with a `value` field containing the
/// list) together with a top-level `bincodeDeserialize` / `BincodeDeserialize`
/// helper, replacing the hand-written extension files that were previously
/// appended by `add_extensions()`.
public struct Requests: Hashable, Equatable {
    public var value: [Request]

    public init(value: [Request]) {
        self.value = value
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializeArray(value: self.value, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Requests {
        try deserializer.increase_container_depth()
        let value = try deserializeArray(deserializer: deserializer) { deserializer in
            try Request.deserialize(deserializer: deserializer)
        }
        try deserializer.decrease_container_depth()
        return Requests(value: value)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Requests {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// Where the user is.
indirect public enum Route: Hashable, Equatable {
    /// The role's home: a grid worker's open cases and due visits, a cadre's
    /// inbox, a resident's requests.
    case home
    /// A new report (a grid worker) or request (a resident).
    case newReport
    case `case`(id: String)
    /// Watched households with their next visit.
    case visits
    case visit(watchId: String)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .home:
            try serializer.serialize_variant_index(value: 0)
        case .newReport:
            try serializer.serialize_variant_index(value: 1)
        case .case(let id):
            try serializer.serialize_variant_index(value: 2)
            try serializer.serialize_str(value: id)
        case .visits:
            try serializer.serialize_variant_index(value: 3)
        case .visit(let watchId):
            try serializer.serialize_variant_index(value: 4)
            try serializer.serialize_str(value: watchId)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Route {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .home
        case 1:
            try deserializer.decrease_container_depth()
            return .newReport
        case 2:
            let id = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .case(id: id)
        case 3:
            try deserializer.decrease_container_depth()
            return .visits
        case 4:
            let watchId = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .visit(watchId: watchId)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Route: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Route {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum Screen: Hashable, Equatable {
    case loading
    case login(LoginView)
    case home(HomeView)
    case newReport(ReportView)
    case `case`(CaseDetail)
    case visits(VisitsView)
    case visit(VisitView)
    /// A route to something the phone no longer holds.
    case gone(message: String)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .loading:
            try serializer.serialize_variant_index(value: 0)
        case .login(let x):
            try serializer.serialize_variant_index(value: 1)
            try x.serialize(serializer: serializer)
        case .home(let x):
            try serializer.serialize_variant_index(value: 2)
            try x.serialize(serializer: serializer)
        case .newReport(let x):
            try serializer.serialize_variant_index(value: 3)
            try x.serialize(serializer: serializer)
        case .case(let x):
            try serializer.serialize_variant_index(value: 4)
            try x.serialize(serializer: serializer)
        case .visits(let x):
            try serializer.serialize_variant_index(value: 5)
            try x.serialize(serializer: serializer)
        case .visit(let x):
            try serializer.serialize_variant_index(value: 6)
            try x.serialize(serializer: serializer)
        case .gone(let message):
            try serializer.serialize_variant_index(value: 7)
            try serializer.serialize_str(value: message)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Screen {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .loading
        case 1:
            let x = try LoginView.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .login(x)
        case 2:
            let x = try HomeView.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .home(x)
        case 3:
            let x = try ReportView.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .newReport(x)
        case 4:
            let x = try CaseDetail.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .case(x)
        case 5:
            let x = try VisitsView.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .visits(x)
        case 6:
            let x = try VisitView.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .visit(x)
        case 7:
            let message = try deserializer.deserialize_str()
            try deserializer.decrease_container_depth()
            return .gone(message: message)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Screen: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Screen {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// The sync status line and what stands behind it.
public struct SyncView: Hashable, Equatable {
    /// Changes made here the server has not yet confirmed.
    public var waiting: UInt32
    /// "3 waiting to send, last synced 14:02".
    public var line: String
    public var busy: Bool
    /// What went wrong, in words; absent when all is well.
    public var problem: String?
    /// The phone's storage failed, in words; it stays until dismissed.
    public var storage: String?
    /// Changes the server refused, in words (a conflict, a state moved on).
    public var notices: [String]

    public init(waiting: UInt32, line: String, busy: Bool, problem: String?, storage: String?, notices: [String]) {
        self.waiting = waiting
        self.line = line
        self.busy = busy
        self.problem = problem
        self.storage = storage
        self.notices = notices
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_u32(value: self.waiting)
        try serializer.serialize_str(value: self.line)
        try serializer.serialize_bool(value: self.busy)
        try serializeOption(value: self.problem, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializeOption(value: self.storage, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializeArray(value: self.notices, serializer: serializer) { item, serializer in
            try serializer.serialize_str(value: item)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> SyncView {
        try deserializer.increase_container_depth()
        let waiting = try deserializer.deserialize_u32()
        let line = try deserializer.deserialize_str()
        let busy = try deserializer.deserialize_bool()
        let problem = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let storage = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let notices = try deserializeArray(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        try deserializer.decrease_container_depth()
        return SyncView(waiting: waiting, line: line, busy: busy, problem: problem, storage: storage, notices: notices)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> SyncView {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum TimeRequest: Hashable, Equatable {
    case now
    case notifyAt(id: TimerId, instant: Instant)
    case notifyAfter(id: TimerId, duration: Duration)
    case clear(id: TimerId)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .now:
            try serializer.serialize_variant_index(value: 0)
        case .notifyAt(let id, let instant):
            try serializer.serialize_variant_index(value: 1)
            try id.serialize(serializer: serializer)
            try instant.serialize(serializer: serializer)
        case .notifyAfter(let id, let duration):
            try serializer.serialize_variant_index(value: 2)
            try id.serialize(serializer: serializer)
            try duration.serialize(serializer: serializer)
        case .clear(let id):
            try serializer.serialize_variant_index(value: 3)
            try id.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> TimeRequest {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .now
        case 1:
            let id = try TimerId.deserialize(deserializer: deserializer)
            let instant = try Instant.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .notifyAt(id: id, instant: instant)
        case 2:
            let id = try TimerId.deserialize(deserializer: deserializer)
            let duration = try Duration.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .notifyAfter(id: id, duration: duration)
        case 3:
            let id = try TimerId.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .clear(id: id)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for TimeRequest: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> TimeRequest {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

indirect public enum TimeResponse: Hashable, Equatable {
    case now(instant: Instant)
    case instantArrived(id: TimerId)
    case durationElapsed(id: TimerId)
    case cleared(id: TimerId)

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .now(let instant):
            try serializer.serialize_variant_index(value: 0)
            try instant.serialize(serializer: serializer)
        case .instantArrived(let id):
            try serializer.serialize_variant_index(value: 1)
            try id.serialize(serializer: serializer)
        case .durationElapsed(let id):
            try serializer.serialize_variant_index(value: 2)
            try id.serialize(serializer: serializer)
        case .cleared(let id):
            try serializer.serialize_variant_index(value: 3)
            try id.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> TimeResponse {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            let instant = try Instant.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .now(instant: instant)
        case 1:
            let id = try TimerId.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .instantArrived(id: id)
        case 2:
            let id = try TimerId.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .durationElapsed(id: id)
        case 3:
            let id = try TimerId.deserialize(deserializer: deserializer)
            try deserializer.decrease_container_depth()
            return .cleared(id: id)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for TimeResponse: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> TimeResponse {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct TimerId: Hashable, Equatable {
    public var value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_u64(value: self.value)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> TimerId {
        try deserializer.increase_container_depth()
        let value = try deserializer.deserialize_u64()
        try deserializer.decrease_container_depth()
        return TimerId(value: value)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> TimerId {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// How pressing a deadline is: the colour of a row.
indirect public enum Urgency: Hashable, Equatable {
    /// No deadline runs.
    case none
    case normal
    /// Due within two days.
    case warning
    case dueToday
    case overdue

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .none:
            try serializer.serialize_variant_index(value: 0)
        case .normal:
            try serializer.serialize_variant_index(value: 1)
        case .warning:
            try serializer.serialize_variant_index(value: 2)
        case .dueToday:
            try serializer.serialize_variant_index(value: 3)
        case .overdue:
            try serializer.serialize_variant_index(value: 4)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Urgency {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .none
        case 1:
            try deserializer.decrease_container_depth()
            return .normal
        case 2:
            try deserializer.decrease_container_depth()
            return .warning
        case 3:
            try deserializer.decrease_container_depth()
            return .dueToday
        case 4:
            try deserializer.decrease_container_depth()
            return .overdue
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Urgency: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Urgency {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

/// The value stored under a key.
/// 
/// `Value::None` is used to represent the absence of a value.
/// 
/// Note: we can't use `Option` here because generics are not currently
/// supported across the FFI boundary, when using the builtin typegen.
indirect public enum Value: Hashable, Equatable {
    case none
    case bytes([UInt8])

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        switch self {
        case .none:
            try serializer.serialize_variant_index(value: 0)
        case .bytes(let x):
            try serializer.serialize_variant_index(value: 1)
            try serializeArray(value: x, serializer: serializer) { item, serializer in
                try serializer.serialize_u8(value: item)
            }
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> Value {
        let index = try deserializer.deserialize_variant_index()
        try deserializer.increase_container_depth()
        switch index {
        case 0:
            try deserializer.decrease_container_depth()
            return .none
        case 1:
            let x = try deserializeArray(deserializer: deserializer) { deserializer in
                try deserializer.deserialize_u8()
            }
            try deserializer.decrease_container_depth()
            return .bytes(x)
        default: throw DeserializationError.invalidInput(issue: "Unknown variant index for Value: \(index)")
        }
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> Value {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct ViewModel: Hashable, Equatable {
    public var lang: Lang
    public var screen: Screen
    public var sync: SyncView
    /// Who is logged in: "王芳 · 网格员".
    public var user: String?
    /// A message to show once.
    public var toast: String?
    public var canGoBack: Bool

    public init(lang: Lang, screen: Screen, sync: SyncView, user: String?, toast: String?, canGoBack: Bool) {
        self.lang = lang
        self.screen = screen
        self.sync = sync
        self.user = user
        self.toast = toast
        self.canGoBack = canGoBack
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try self.lang.serialize(serializer: serializer)
        try self.screen.serialize(serializer: serializer)
        try self.sync.serialize(serializer: serializer)
        try serializeOption(value: self.user, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializeOption(value: self.toast, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.serialize_bool(value: self.canGoBack)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> ViewModel {
        try deserializer.increase_container_depth()
        let lang = try Lang.deserialize(deserializer: deserializer)
        let screen = try Screen.deserialize(deserializer: deserializer)
        let sync = try SyncView.deserialize(deserializer: deserializer)
        let user = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let toast = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let canGoBack = try deserializer.deserialize_bool()
        try deserializer.decrease_container_depth()
        return ViewModel(lang: lang, screen: screen, sync: sync, user: user, toast: toast, canGoBack: canGoBack)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> ViewModel {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct VisitItem: Hashable, Equatable {
    public var watchId: String
    public var label: String
    /// `blue`, `yellow`, `orange`, `red`, or empty when safe.
    public var colour: String
    public var due: String?
    public var urgency: Urgency
    public var waiting: Bool

    public init(watchId: String, label: String, colour: String, due: String?, urgency: Urgency, waiting: Bool) {
        self.watchId = watchId
        self.label = label
        self.colour = colour
        self.due = due
        self.urgency = urgency
        self.waiting = waiting
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializer.serialize_str(value: self.watchId)
        try serializer.serialize_str(value: self.label)
        try serializer.serialize_str(value: self.colour)
        try serializeOption(value: self.due, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try self.urgency.serialize(serializer: serializer)
        try serializer.serialize_bool(value: self.waiting)
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> VisitItem {
        try deserializer.increase_container_depth()
        let watchId = try deserializer.deserialize_str()
        let label = try deserializer.deserialize_str()
        let colour = try deserializer.deserialize_str()
        let due = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let urgency = try Urgency.deserialize(deserializer: deserializer)
        let waiting = try deserializer.deserialize_bool()
        try deserializer.decrease_container_depth()
        return VisitItem(watchId: watchId, label: label, colour: colour, due: due, urgency: urgency, waiting: waiting)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> VisitItem {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct VisitView: Hashable, Equatable {
    public var item: VisitItem
    public var address: String?
    public var reason: String
    public var lastVisit: String?

    public init(item: VisitItem, address: String?, reason: String, lastVisit: String?) {
        self.item = item
        self.address = address
        self.reason = reason
        self.lastVisit = lastVisit
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try self.item.serialize(serializer: serializer)
        try serializeOption(value: self.address, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.serialize_str(value: self.reason)
        try serializeOption(value: self.lastVisit, serializer: serializer) { value, serializer in
            try serializer.serialize_str(value: value)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> VisitView {
        try deserializer.increase_container_depth()
        let item = try VisitItem.deserialize(deserializer: deserializer)
        let address = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        let reason = try deserializer.deserialize_str()
        let lastVisit = try deserializeOption(deserializer: deserializer) { deserializer in
            try deserializer.deserialize_str()
        }
        try deserializer.decrease_container_depth()
        return VisitView(item: item, address: address, reason: reason, lastVisit: lastVisit)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> VisitView {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}

public struct VisitsView: Hashable, Equatable {
    public var items: [VisitItem]

    public init(items: [VisitItem]) {
        self.items = items
    }

    public func serialize<S: Serializer>(serializer: S) throws {
        try serializer.increase_container_depth()
        try serializeArray(value: self.items, serializer: serializer) { item, serializer in
            try item.serialize(serializer: serializer)
        }
        try serializer.decrease_container_depth()
    }

    public func bincodeSerialize() throws -> [UInt8] {
        let serializer = BincodeSerializer.init();
        try self.serialize(serializer: serializer)
        return serializer.get_bytes()
    }

    public static func deserialize<D: Deserializer>(deserializer: D) throws -> VisitsView {
        try deserializer.increase_container_depth()
        let items = try deserializeArray(deserializer: deserializer) { deserializer in
            try VisitItem.deserialize(deserializer: deserializer)
        }
        try deserializer.decrease_container_depth()
        return VisitsView(items: items)
    }

    public static func bincodeDeserialize(input: [UInt8]) throws -> VisitsView {
        let deserializer = BincodeDeserializer.init(input: input);
        let obj = try deserialize(deserializer: deserializer)
        if deserializer.get_buffer_offset() < input.count {
            throw DeserializationError.invalidInput(issue: "Some input bytes were not read")
        }
        return obj
    }
}
