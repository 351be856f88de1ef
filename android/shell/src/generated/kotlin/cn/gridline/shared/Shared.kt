package cn.gridline.shared

import com.novi.bincode.BincodeDeserializer
import com.novi.bincode.BincodeSerializer
import com.novi.serde.Bytes
import com.novi.serde.DeserializationError
import com.novi.serde.Deserializer
import com.novi.serde.Serializer

fun <T> List<T>.serialize(
    serializer: Serializer,
    serializeElement: Serializer.(T) -> Unit,
) {
    serializer.serialize_len(size.toLong())
    forEach { element ->
        serializer.serializeElement(element)
    }
}

fun <T> Deserializer.deserializeListOf(deserializeElement: (Deserializer) -> T): List<T> {
    val length = deserialize_len()
    val list = mutableListOf<T>()
    repeat(length.toInt()) {
        list.add(deserializeElement(this))
    }
    return list
}

fun <T> T?.serializeOptionOf(
    serializer: Serializer,
    serializeElement: Serializer.(T) -> Unit,
) {
    if (this != null) {
        serializer.serialize_option_tag(true)
        serializer.serializeElement(this)
    } else {
        serializer.serialize_option_tag(false)
    }
}

fun <T> Deserializer.deserializeOptionOf(deserializeElement: (Deserializer) -> T): T? {
    val tag = deserialize_option_tag()
    return if (tag) {
        deserializeElement(this)
    } else {
        null
    }
}

data class ActionButton(
    /// `sign_for`, `resolve`…: which form to open.
    val action: String,
    val label: String,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(action)
        serializer.serialize_str(label)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): ActionButton {
            deserializer.increase_container_depth()
            val action = deserializer.deserialize_str()
            val label = deserializer.deserialize_str()
            deserializer.decrease_container_depth()
            return ActionButton(action, label)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): ActionButton {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// An action on a case, as its form collects it.
sealed interface ActionInput {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data object SignFor: ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): SignFor {
            return SignFor
        }
    }

    data object Start: ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Start {
            return Start
        }
    }

    data class Note(
        val text: String,
    ) : ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.serialize_str(text)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Note {
                deserializer.increase_container_depth()
                val text = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Note(text)
            }
        }
    }

    /// Ask the township to bring in departments (by unit id) with a task,
    /// due in `days` days.
    data class RequestCoHandling(
        val units: List<String>,
        val task: String,
        val days: UInt,
    ) : ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            units.serialize(serializer) {
                serializer.serialize_str(it)
            }
            serializer.serialize_str(task)
            serializer.serialize_u32(days)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): RequestCoHandling {
                deserializer.increase_container_depth()
                val units =
                    deserializer.deserializeListOf {
                        deserializer.deserialize_str()
                    }
                val task = deserializer.deserialize_str()
                val days = deserializer.deserialize_u32()
                deserializer.decrease_container_depth()
                return RequestCoHandling(units, task, days)
            }
        }
    }

    /// `outcome`: `mediated`, `agreement_signed`, `handled`…
    data class Resolve(
        val outcome: String,
        val summary: String,
    ) : ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            serializer.serialize_str(outcome)
            serializer.serialize_str(summary)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Resolve {
                deserializer.increase_container_depth()
                val outcome = deserializer.deserialize_str()
                val summary = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Resolve(outcome, summary)
            }
        }
    }

    data class Escalate(
        val reason: String,
    ) : ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(5)
            serializer.serialize_str(reason)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Escalate {
                deserializer.increase_container_depth()
                val reason = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Escalate(reason)
            }
        }
    }

    /// Not ours: send it back to be reassigned.
    data class Return(
        val reason: String,
    ) : ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(6)
            serializer.serialize_str(reason)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Return {
                deserializer.increase_container_depth()
                val reason = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Return(reason)
            }
        }
    }

    /// 1 to 5 stars, by the resident who asked.
    data class Rate(
        val stars: UByte,
        val comment: String,
    ) : ActionInput {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(7)
            serializer.serialize_u8(stars)
            serializer.serialize_str(comment)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Rate {
                deserializer.increase_container_depth()
                val stars = deserializer.deserialize_u8()
                val comment = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Rate(stars, comment)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): ActionInput {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> SignFor.deserialize(deserializer)
                1 -> Start.deserialize(deserializer)
                2 -> Note.deserialize(deserializer)
                3 -> RequestCoHandling.deserialize(deserializer)
                4 -> Resolve.deserialize(deserializer)
                5 -> Escalate.deserialize(deserializer)
                6 -> Return.deserialize(deserializer)
                7 -> Rate.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for ActionInput: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): ActionInput {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class CaseDetail(
    val item: cn.gridline.shared.CaseItem,
    val description: String,
    val assignee: String? = null,
    val tier: String,
    /// Names and roles of the parties, when this user may see them.
    val parties: List<String>,
    val outcome: String? = null,
    val rating: UByte? = null,
    val history: List<cn.gridline.shared.HistoryRow>,
    val photos: List<cn.gridline.shared.PhotoRow>,
    /// What the user may do now.
    val actions: List<cn.gridline.shared.ActionButton>,
    /// Changes made here, waiting to be sent.
    val waiting: List<String>,
    /// Changes made here the server refused, and why.
    val conflicts: List<String>,
    /// The resolve form's choices (first mediation and every later tier):
    /// how the matter ended, disputes' outcomes first. Empty unless
    /// `resolve` is among the actions.
    val outcomes: List<cn.gridline.shared.Choice>,
    /// The co-handling form's choices: the departments this user may call
    /// in, nearest first, `code` being the unit id the action takes. Empty
    /// unless `request_co_handling` is among the actions.
    val departments: List<cn.gridline.shared.Choice>,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        item.serialize(serializer)
        serializer.serialize_str(description)
        assignee.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.serialize_str(tier)
        parties.serialize(serializer) {
            serializer.serialize_str(it)
        }
        outcome.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        rating.serializeOptionOf(serializer) {
            serializer.serialize_u8(it)
        }
        history.serialize(serializer) {
            it.serialize(serializer)
        }
        photos.serialize(serializer) {
            it.serialize(serializer)
        }
        actions.serialize(serializer) {
            it.serialize(serializer)
        }
        waiting.serialize(serializer) {
            serializer.serialize_str(it)
        }
        conflicts.serialize(serializer) {
            serializer.serialize_str(it)
        }
        outcomes.serialize(serializer) {
            it.serialize(serializer)
        }
        departments.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): CaseDetail {
            deserializer.increase_container_depth()
            val item = cn.gridline.shared.CaseItem.deserialize(deserializer)
            val description = deserializer.deserialize_str()
            val assignee =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val tier = deserializer.deserialize_str()
            val parties =
                deserializer.deserializeListOf {
                    deserializer.deserialize_str()
                }
            val outcome =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val rating =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_u8()
                }
            val history =
                deserializer.deserializeListOf {
                    cn.gridline.shared.HistoryRow.deserialize(deserializer)
                }
            val photos =
                deserializer.deserializeListOf {
                    cn.gridline.shared.PhotoRow.deserialize(deserializer)
                }
            val actions =
                deserializer.deserializeListOf {
                    cn.gridline.shared.ActionButton.deserialize(deserializer)
                }
            val waiting =
                deserializer.deserializeListOf {
                    deserializer.deserialize_str()
                }
            val conflicts =
                deserializer.deserializeListOf {
                    deserializer.deserialize_str()
                }
            val outcomes =
                deserializer.deserializeListOf {
                    cn.gridline.shared.Choice.deserialize(deserializer)
                }
            val departments =
                deserializer.deserializeListOf {
                    cn.gridline.shared.Choice.deserialize(deserializer)
                }
            deserializer.decrease_container_depth()
            return CaseDetail(item, description, assignee, tier, parties, outcome, rating, history, photos, actions, waiting, conflicts, outcomes, departments)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): CaseDetail {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class CaseItem(
    val id: String,
    val category: String,
    val summary: String,
    val status: String,
    val statusLabel: String,
    val place: String,
    /// "sign for by 11-22 17:00", "due 11-28 17:00".
    val deadline: String? = null,
    val urgency: cn.gridline.shared.Urgency,
    /// Changes made here wait to be sent.
    val waiting: Boolean,
    /// A change made here was refused (a conflict).
    val conflict: Boolean,
    /// Where it is, for a map; absent when unknown.
    val point: cn.gridline.shared.MapPoint? = null,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(id)
        serializer.serialize_str(category)
        serializer.serialize_str(summary)
        serializer.serialize_str(status)
        serializer.serialize_str(statusLabel)
        serializer.serialize_str(place)
        deadline.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        urgency.serialize(serializer)
        serializer.serialize_bool(waiting)
        serializer.serialize_bool(conflict)
        point.serializeOptionOf(serializer) {
            it.serialize(serializer)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): CaseItem {
            deserializer.increase_container_depth()
            val id = deserializer.deserialize_str()
            val category = deserializer.deserialize_str()
            val summary = deserializer.deserialize_str()
            val status = deserializer.deserialize_str()
            val statusLabel = deserializer.deserialize_str()
            val place = deserializer.deserialize_str()
            val deadline =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val urgency = cn.gridline.shared.Urgency.deserialize(deserializer)
            val waiting = deserializer.deserialize_bool()
            val conflict = deserializer.deserialize_bool()
            val point =
                deserializer.deserializeOptionOf {
                    cn.gridline.shared.MapPoint.deserialize(deserializer)
                }
            deserializer.decrease_container_depth()
            return CaseItem(id, category, summary, status, statusLabel, place, deadline, urgency, waiting, conflict, point)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): CaseItem {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class Choice(
    val code: String,
    val label: String,
    val selected: Boolean,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(code)
        serializer.serialize_str(label)
        serializer.serialize_bool(selected)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): Choice {
            deserializer.increase_container_depth()
            val code = deserializer.deserialize_str()
            val label = deserializer.deserialize_str()
            val selected = deserializer.deserialize_bool()
            deserializer.decrease_container_depth()
            return Choice(code, label, selected)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Choice {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// A change to the report being written.
sealed interface DraftEdit {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data class Category(
        val code: String,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_str(code)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Category {
                deserializer.increase_container_depth()
                val code = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Category(code)
            }
        }
    }

    data class Description(
        val text: String,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.serialize_str(text)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Description {
                deserializer.increase_container_depth()
                val text = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Description(text)
            }
        }
    }

    /// Ask the phone where it is.
    data object UseMyLocation: DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): UseMyLocation {
            return UseMyLocation
        }
    }

    /// A point set on the map (WGS84, or GCJ-02 from a Chinese map).
    data class Pin(
        val lat: Double,
        val lon: Double,
        val crs: String,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            serializer.serialize_f64(lat)
            serializer.serialize_f64(lon)
            serializer.serialize_str(crs)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Pin {
                deserializer.increase_container_depth()
                val lat = deserializer.deserialize_f64()
                val lon = deserializer.deserialize_f64()
                val crs = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Pin(lat, lon, crs)
            }
        }
    }

    data class AddParty(
        val name: String,
        /// `applicant`, `respondent` or `other`.
        val side: String,
        val phone: String,
        val idNumber: String,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            serializer.serialize_str(name)
            serializer.serialize_str(side)
            serializer.serialize_str(phone)
            serializer.serialize_str(idNumber)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): AddParty {
                deserializer.increase_container_depth()
                val name = deserializer.deserialize_str()
                val side = deserializer.deserialize_str()
                val phone = deserializer.deserialize_str()
                val idNumber = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return AddParty(name, side, phone, idNumber)
            }
        }
    }

    data class RemoveParty(
        val index: UInt,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(5)
            serializer.serialize_u32(index)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): RemoveParty {
                deserializer.increase_container_depth()
                val index = deserializer.deserialize_u32()
                deserializer.decrease_container_depth()
                return RemoveParty(index)
            }
        }
    }

    data class PeopleAffected(
        val count: UInt,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(6)
            serializer.serialize_u32(count)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): PeopleAffected {
                deserializer.increase_container_depth()
                val count = deserializer.deserialize_u32()
                deserializer.decrease_container_depth()
                return PeopleAffected(count)
            }
        }
    }

    data class AmountYuan(
        val amount: ULong,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(7)
            serializer.serialize_u64(amount)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): AmountYuan {
                deserializer.increase_container_depth()
                val amount = deserializer.deserialize_u64()
                deserializer.decrease_container_depth()
                return AmountYuan(amount)
            }
        }
    }

    data object TakePhoto: DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(8)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): TakePhoto {
            return TakePhoto
        }
    }

    data object PickPhoto: DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(9)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): PickPhoto {
            return PickPhoto
        }
    }

    data class RemovePhoto(
        val index: UInt,
    ) : DraftEdit {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(10)
            serializer.serialize_u32(index)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): RemovePhoto {
                deserializer.increase_container_depth()
                val index = deserializer.deserialize_u32()
                deserializer.decrease_container_depth()
                return RemovePhoto(index)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): DraftEdit {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Category.deserialize(deserializer)
                1 -> Description.deserialize(deserializer)
                2 -> UseMyLocation.deserialize(deserializer)
                3 -> Pin.deserialize(deserializer)
                4 -> AddParty.deserialize(deserializer)
                5 -> RemoveParty.deserialize(deserializer)
                6 -> PeopleAffected.deserialize(deserializer)
                7 -> AmountYuan.deserialize(deserializer)
                8 -> TakePhoto.deserialize(deserializer)
                9 -> PickPhoto.deserialize(deserializer)
                10 -> RemovePhoto.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for DraftEdit: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): DraftEdit {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Represents a duration of time, internally stored as nanoseconds
data class Duration(
    val nanos: ULong,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_u64(nanos)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): Duration {
            deserializer.increase_container_depth()
            val nanos = deserializer.deserialize_u64()
            deserializer.decrease_container_depth()
            return Duration(nanos)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Duration {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface Effect {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data class Render(
        val value: cn.gridline.shared.RenderOperation,
    ) : Effect {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Render {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.RenderOperation.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Render(value)
            }
        }
    }

    data class Http(
        val value: cn.gridline.shared.HttpRequest,
    ) : Effect {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Http {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.HttpRequest.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Http(value)
            }
        }
    }

    data class KeyValue(
        val value: cn.gridline.shared.KeyValueOperation,
    ) : Effect {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): KeyValue {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.KeyValueOperation.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return KeyValue(value)
            }
        }
    }

    data class Time(
        val value: cn.gridline.shared.TimeRequest,
    ) : Effect {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Time {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.TimeRequest.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Time(value)
            }
        }
    }

    data class Location(
        val value: cn.gridline.shared.LocationOperation,
    ) : Effect {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Location {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.LocationOperation.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Location(value)
            }
        }
    }

    data class Photo(
        val value: cn.gridline.shared.PhotoOperation,
    ) : Effect {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(5)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Photo {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.PhotoOperation.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Photo(value)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Effect {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Render.deserialize(deserializer)
                1 -> Http.deserialize(deserializer)
                2 -> KeyValue.deserialize(deserializer)
                3 -> Time.deserialize(deserializer)
                4 -> Location.deserialize(deserializer)
                5 -> Photo.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for Effect: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Effect {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface Event {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// The app was launched: read what was stored. `platform` is
    /// `android`, `ios` or `other`; both go to the server when the phone
    /// registers.
    data class Start(
        val platform: String,
        val appVersion: String,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_str(platform)
            serializer.serialize_str(appVersion)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Start {
                deserializer.increase_container_depth()
                val platform = deserializer.deserialize_str()
                val appVersion = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Start(platform, appVersion)
            }
        }
    }

    /// The app is on screen: sync now and keep a long poll open.
    data object Foreground: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Foreground {
            return Foreground
        }
    }

    /// The app went to the background: no long poll; a timer retries.
    data object Background: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Background {
            return Background
        }
    }

    data class SetLanguage(
        val lang: cn.gridline.shared.Lang,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            lang.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): SetLanguage {
                deserializer.increase_container_depth()
                val lang = cn.gridline.shared.Lang.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return SetLanguage(lang)
            }
        }
    }

    data class Login(
        val server: String,
        val username: String,
        val password: String,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            serializer.serialize_str(server)
            serializer.serialize_str(username)
            serializer.serialize_str(password)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Login {
                deserializer.increase_container_depth()
                val server = deserializer.deserialize_str()
                val username = deserializer.deserialize_str()
                val password = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Login(server, username, password)
            }
        }
    }

    /// Leave the account. Refused while changes wait to be sent.
    data object Logout: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(5)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Logout {
            return Logout
        }
    }

    data class Open(
        val route: cn.gridline.shared.Route,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(6)
            route.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Open {
                deserializer.increase_container_depth()
                val route = cn.gridline.shared.Route.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Open(route)
            }
        }
    }

    data object Back: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(7)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Back {
            return Back
        }
    }

    data class Draft(
        val edit: cn.gridline.shared.DraftEdit,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(8)
            edit.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Draft {
                deserializer.increase_container_depth()
                val edit = cn.gridline.shared.DraftEdit.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Draft(edit)
            }
        }
    }

    data object SubmitReport: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(9)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): SubmitReport {
            return SubmitReport
        }
    }

    data object DiscardDraft: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(10)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): DiscardDraft {
            return DiscardDraft
        }
    }

    data class Act(
        val caseId: String,
        val input: cn.gridline.shared.ActionInput,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(11)
            serializer.serialize_str(caseId)
            input.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Act {
                deserializer.increase_container_depth()
                val caseId = deserializer.deserialize_str()
                val input = cn.gridline.shared.ActionInput.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Act(caseId, input)
            }
        }
    }

    data class RecordVisit(
        val watchId: String,
        val note: String,
    ) : Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(12)
            serializer.serialize_str(watchId)
            serializer.serialize_str(note)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): RecordVisit {
                deserializer.increase_container_depth()
                val watchId = deserializer.deserialize_str()
                val note = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return RecordVisit(watchId, note)
            }
        }
    }

    /// Try to sync now (pull to refresh).
    data object SyncNow: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(13)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): SyncNow {
            return SyncNow
        }
    }

    /// The user has read the refused changes and the storage error.
    data object DismissNotices: Event {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(14)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): DismissNotices {
            return DismissNotices
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Event {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Start.deserialize(deserializer)
                1 -> Foreground.deserialize(deserializer)
                2 -> Background.deserialize(deserializer)
                3 -> SetLanguage.deserialize(deserializer)
                4 -> Login.deserialize(deserializer)
                5 -> Logout.deserialize(deserializer)
                6 -> Open.deserialize(deserializer)
                7 -> Back.deserialize(deserializer)
                8 -> Draft.deserialize(deserializer)
                9 -> SubmitReport.deserialize(deserializer)
                10 -> DiscardDraft.deserialize(deserializer)
                11 -> Act.deserialize(deserializer)
                12 -> RecordVisit.deserialize(deserializer)
                13 -> SyncNow.deserialize(deserializer)
                14 -> DismissNotices.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for Event: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Event {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// A position fix, in the coordinate system the phone's location service
/// reports: WGS84 from GPS and the platform APIs (`crs` "wgs84"); some
/// Chinese map SDKs report GCJ-02 ("gcj02").
data class Fix(
    val lat: Double,
    val lon: Double,
    /// Radius of 68 % confidence, metres.
    val accuracyM: Double,
    val crs: String,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_f64(lat)
        serializer.serialize_f64(lon)
        serializer.serialize_f64(accuracyM)
        serializer.serialize_str(crs)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): Fix {
            deserializer.increase_container_depth()
            val lat = deserializer.deserialize_f64()
            val lon = deserializer.deserialize_f64()
            val accuracyM = deserializer.deserialize_f64()
            val crs = deserializer.deserialize_str()
            deserializer.decrease_container_depth()
            return Fix(lat, lon, accuracyM, crs)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Fix {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class HistoryRow(
    val at: String,
    val who: String,
    val what: String,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(at)
        serializer.serialize_str(who)
        serializer.serialize_str(what)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): HistoryRow {
            deserializer.increase_container_depth()
            val at = deserializer.deserialize_str()
            val who = deserializer.deserialize_str()
            val what = deserializer.deserialize_str()
            deserializer.decrease_container_depth()
            return HistoryRow(at, who, what)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HistoryRow {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class HomeView(
    /// `grid_worker`, `village_cadre`, `resident` or another role's code.
    val role: String,
    val title: String,
    /// The first [`cases::HOME_LIMIT`] rows, most pressing first.
    val cases: List<cn.gridline.shared.CaseItem>,
    /// Rows beyond those (shown as "and N more").
    val more: UInt,
    /// Watched households whose visit is due or late (grid workers).
    val visitsDue: UInt,
    /// The label of the new-report button, when the role reports.
    val newLabel: String? = null,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(role)
        serializer.serialize_str(title)
        cases.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.serialize_u32(more)
        serializer.serialize_u32(visitsDue)
        newLabel.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): HomeView {
            deserializer.increase_container_depth()
            val role = deserializer.deserialize_str()
            val title = deserializer.deserialize_str()
            val cases =
                deserializer.deserializeListOf {
                    cn.gridline.shared.CaseItem.deserialize(deserializer)
                }
            val more = deserializer.deserialize_u32()
            val visitsDue = deserializer.deserialize_u32()
            val newLabel =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            deserializer.decrease_container_depth()
            return HomeView(role, title, cases, more, visitsDue, newLabel)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HomeView {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
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
sealed interface HttpError {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// The request URL could not be parsed.
    data class Url(
        val value: String,
    ) : HttpError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_str(value)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Url {
                deserializer.increase_container_depth()
                val value = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Url(value)
            }
        }
    }

    /// An IO error prevented the request from completing.
    data class Io(
        val value: String,
    ) : HttpError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.serialize_str(value)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Io {
                deserializer.increase_container_depth()
                val value = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Io(value)
            }
        }
    }

    /// The request timed out before a response was received.
    data object Timeout: HttpError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Timeout {
            return Timeout
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): HttpError {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Url.deserialize(deserializer)
                1 -> Io.deserialize(deserializer)
                2 -> Timeout.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for HttpError: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HttpError {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class HttpHeader(
    val name: String,
    val value: String,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(name)
        serializer.serialize_str(value)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): HttpHeader {
            deserializer.increase_container_depth()
            val name = deserializer.deserialize_str()
            val value = deserializer.deserialize_str()
            deserializer.decrease_container_depth()
            return HttpHeader(name, value)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HttpHeader {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
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
data class HttpRequest(
    val method: String,
    val url: String,
    val headers: List<cn.gridline.shared.HttpHeader>,
    val body: Bytes,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(method)
        serializer.serialize_str(url)
        headers.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.serialize_bytes(body)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): HttpRequest {
            deserializer.increase_container_depth()
            val method = deserializer.deserialize_str()
            val url = deserializer.deserialize_str()
            val headers =
                deserializer.deserializeListOf {
                    cn.gridline.shared.HttpHeader.deserialize(deserializer)
                }
            val body = deserializer.deserialize_bytes()
            deserializer.decrease_container_depth()
            return HttpRequest(method, url, headers, body)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HttpRequest {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class HttpResponse(
    val status: UShort,
    val headers: List<cn.gridline.shared.HttpHeader>,
    val body: Bytes,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_u16(status)
        headers.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.serialize_bytes(body)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): HttpResponse {
            deserializer.increase_container_depth()
            val status = deserializer.deserialize_u16()
            val headers =
                deserializer.deserializeListOf {
                    cn.gridline.shared.HttpHeader.deserialize(deserializer)
                }
            val body = deserializer.deserialize_bytes()
            deserializer.decrease_container_depth()
            return HttpResponse(status, headers, body)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HttpResponse {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
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
sealed interface HttpResult {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// The shell completed the HTTP exchange. The response may carry any status code,
    /// including 4xx and 5xx — inspect [`HttpResponse::status`] to distinguish them.
    data class Ok(
        val value: cn.gridline.shared.HttpResponse,
    ) : HttpResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Ok {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.HttpResponse.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Ok(value)
            }
        }
    }

    /// The shell could not complete the HTTP exchange due to a transport-level failure.
    /// See [`HttpError`] for the possible causes.
    data class Err(
        val value: cn.gridline.shared.HttpError,
    ) : HttpResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Err {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.HttpError.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Err(value)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): HttpResult {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Ok.deserialize(deserializer)
                1 -> Err.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for HttpResult: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): HttpResult {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Represents a point in time (UTC):
/// 
/// - seconds: number of seconds since the Unix epoch (1970-01-01T00:00:00Z)
/// - nanos: number of nanoseconds since the last second
data class Instant(
    val seconds: ULong,
    val nanos: UInt,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_u64(seconds)
        serializer.serialize_u32(nanos)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): Instant {
            deserializer.increase_container_depth()
            val seconds = deserializer.deserialize_u64()
            val nanos = deserializer.deserialize_u32()
            deserializer.decrease_container_depth()
            return Instant(seconds, nanos)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Instant {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Error type for `KeyValue` operations
sealed interface KeyValueError {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data class Io(
        val message: String,
    ) : KeyValueError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_str(message)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Io {
                deserializer.increase_container_depth()
                val message = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Io(message)
            }
        }
    }

    data object Timeout: KeyValueError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Timeout {
            return Timeout
        }
    }

    data object CursorNotFound: KeyValueError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): CursorNotFound {
            return CursorNotFound
        }
    }

    data class Other(
        val message: String,
    ) : KeyValueError {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            serializer.serialize_str(message)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Other {
                deserializer.increase_container_depth()
                val message = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Other(message)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): KeyValueError {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Io.deserialize(deserializer)
                1 -> Timeout.deserialize(deserializer)
                2 -> CursorNotFound.deserialize(deserializer)
                3 -> Other.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for KeyValueError: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): KeyValueError {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Supported operations
sealed interface KeyValueOperation {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// Read bytes stored under a key
    data class Get(
        val key: String,
    ) : KeyValueOperation {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_str(key)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Get {
                deserializer.increase_container_depth()
                val key = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Get(key)
            }
        }
    }

    /// Write bytes under a key
    data class Set(
        val key: String,
        val value: List<UByte>,
    ) : KeyValueOperation {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.serialize_str(key)
            value.serialize(serializer) {
                serializer.serialize_u8(it)
            }
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Set {
                deserializer.increase_container_depth()
                val key = deserializer.deserialize_str()
                val value =
                    deserializer.deserializeListOf {
                        deserializer.deserialize_u8()
                    }
                deserializer.decrease_container_depth()
                return Set(key, value)
            }
        }
    }

    /// Remove a key and its value
    data class Delete(
        val key: String,
    ) : KeyValueOperation {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.serialize_str(key)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Delete {
                deserializer.increase_container_depth()
                val key = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Delete(key)
            }
        }
    }

    /// Test if a key exists
    data class Exists(
        val key: String,
    ) : KeyValueOperation {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            serializer.serialize_str(key)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Exists {
                deserializer.increase_container_depth()
                val key = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Exists(key)
            }
        }
    }

    data class ListKeys(
        /// The prefix to list keys for, or an empty string to list all keys
        val prefix: String,
        /// The cursor to start listing from, or 0 to start from the beginning.
        /// If there are more keys to list, the response will include a new cursor.
        /// If there are no more keys, the response will include a cursor of 0.
        /// The cursor is opaque to the caller, and should be passed back to the
        /// `ListKeys` operation to continue listing keys.
        /// If the cursor is not found for the specified prefix, the response will include
        /// a `KeyValueError::CursorNotFound` error.
        val cursor: ULong,
    ) : KeyValueOperation {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            serializer.serialize_str(prefix)
            serializer.serialize_u64(cursor)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): ListKeys {
                deserializer.increase_container_depth()
                val prefix = deserializer.deserialize_str()
                val cursor = deserializer.deserialize_u64()
                deserializer.decrease_container_depth()
                return ListKeys(prefix, cursor)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): KeyValueOperation {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Get.deserialize(deserializer)
                1 -> Set.deserialize(deserializer)
                2 -> Delete.deserialize(deserializer)
                3 -> Exists.deserialize(deserializer)
                4 -> ListKeys.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for KeyValueOperation: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): KeyValueOperation {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface KeyValueResponse {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// Response to a `KeyValueOperation::Get`,
    /// returning the value stored under the key, which may be empty
    data class Get(
        val value: cn.gridline.shared.Value,
    ) : KeyValueResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Get {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.Value.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Get(value)
            }
        }
    }

    /// Response to a `KeyValueOperation::Set`,
    /// returning the value that was previously stored under the key, may be empty
    data class Set(
        val previous: cn.gridline.shared.Value,
    ) : KeyValueResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            previous.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Set {
                deserializer.increase_container_depth()
                val previous = cn.gridline.shared.Value.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Set(previous)
            }
        }
    }

    /// Response to a `KeyValueOperation::Delete`,
    /// returning the value that was previously stored under the key, may be empty
    data class Delete(
        val previous: cn.gridline.shared.Value,
    ) : KeyValueResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            previous.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Delete {
                deserializer.increase_container_depth()
                val previous = cn.gridline.shared.Value.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Delete(previous)
            }
        }
    }

    /// Response to a `KeyValueOperation::Exists`,
    /// returning whether the key is present in the store
    data class Exists(
        val isPresent: Boolean,
    ) : KeyValueResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            serializer.serialize_bool(isPresent)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Exists {
                deserializer.increase_container_depth()
                val isPresent = deserializer.deserialize_bool()
                deserializer.decrease_container_depth()
                return Exists(isPresent)
            }
        }
    }

    /// Response to a `KeyValueOperation::ListKeys`,
    /// returning a list of keys that start with the prefix, and a cursor to continue listing
    /// if there are more keys
    /// 
    /// Note: the cursor is 0 if there are no more keys
    data class ListKeys(
        val keys: List<String>,
        /// The cursor to continue listing keys, or 0 if there are no more keys.
        /// If the cursor is not found for the specified prefix, the response should instead
        /// include a `KeyValueError::CursorNotFound` error.
        val nextCursor: ULong,
    ) : KeyValueResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            keys.serialize(serializer) {
                serializer.serialize_str(it)
            }
            serializer.serialize_u64(nextCursor)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): ListKeys {
                deserializer.increase_container_depth()
                val keys =
                    deserializer.deserializeListOf {
                        deserializer.deserialize_str()
                    }
                val nextCursor = deserializer.deserialize_u64()
                deserializer.decrease_container_depth()
                return ListKeys(keys, nextCursor)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): KeyValueResponse {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Get.deserialize(deserializer)
                1 -> Set.deserialize(deserializer)
                2 -> Delete.deserialize(deserializer)
                3 -> Exists.deserialize(deserializer)
                4 -> ListKeys.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for KeyValueResponse: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): KeyValueResponse {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// The result of an operation on the store.
/// 
/// Note: we can't use [`core::result::Result`] here because it is not currently
/// supported across the FFI boundary, when using `typegen` or `facet_typegen`.
sealed interface KeyValueResult {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data class Ok(
        val response: cn.gridline.shared.KeyValueResponse,
    ) : KeyValueResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            response.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Ok {
                deserializer.increase_container_depth()
                val response = cn.gridline.shared.KeyValueResponse.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Ok(response)
            }
        }
    }

    data class Err(
        val error: cn.gridline.shared.KeyValueError,
    ) : KeyValueResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            error.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Err {
                deserializer.increase_container_depth()
                val error = cn.gridline.shared.KeyValueError.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Err(error)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): KeyValueResult {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Ok.deserialize(deserializer)
                1 -> Err.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for KeyValueResult: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): KeyValueResult {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// The language the screens speak.
enum class Lang {
    /// Simplified Chinese (zh-Hans), the default.
    ZH,
    EN;

    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_variant_index(ordinal)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Lang {
            deserializer.increase_container_depth()
            val index = deserializer.deserialize_variant_index()
            deserializer.decrease_container_depth()
            return when (index) {
                0 -> ZH
                1 -> EN
                else -> throw DeserializationError("Unknown variant index for Lang: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Lang {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Ask the phone where it is.
sealed interface LocationOperation {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// One fix, as good as the phone can get within `timeout_ms`.
    data class Current(
        val timeoutMs: UInt,
    ) : LocationOperation {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_u32(timeoutMs)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Current {
                deserializer.increase_container_depth()
                val timeoutMs = deserializer.deserialize_u32()
                deserializer.decrease_container_depth()
                return Current(timeoutMs)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): LocationOperation {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Current.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for LocationOperation: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): LocationOperation {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface LocationResult {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data class Fix(
        val value: cn.gridline.shared.Fix,
    ) : LocationResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Fix {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.Fix.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Fix(value)
            }
        }
    }

    /// The user refused location access.
    data object Denied: LocationResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Denied {
            return Denied
        }
    }

    /// No fix in time (indoors, no signal).
    data class Unavailable(
        val reason: String,
    ) : LocationResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.serialize_str(reason)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Unavailable {
                deserializer.increase_container_depth()
                val reason = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Unavailable(reason)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): LocationResult {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Fix.deserialize(deserializer)
                1 -> Denied.deserialize(deserializer)
                2 -> Unavailable.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for LocationResult: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): LocationResult {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class LoginView(
    val server: String,
    val username: String,
    val busy: Boolean,
    val error: String? = null,
    /// The session ran out: log in again; nothing waiting is lost.
    val expired: Boolean,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(server)
        serializer.serialize_str(username)
        serializer.serialize_bool(busy)
        error.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.serialize_bool(expired)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): LoginView {
            deserializer.increase_container_depth()
            val server = deserializer.deserialize_str()
            val username = deserializer.deserialize_str()
            val busy = deserializer.deserialize_bool()
            val error =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val expired = deserializer.deserialize_bool()
            deserializer.decrease_container_depth()
            return LoginView(server, username, busy, error, expired)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): LoginView {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// A place in both systems a phone's basemap may use: WGS84 (OpenStreetMap,
/// Tianditu) and GCJ-02 (Amap, Tencent). The shell draws the pair that
/// matches its tile source; it never converts.
data class MapPoint(
    val lat: Double,
    val lon: Double,
    val gcj02Lat: Double,
    val gcj02Lon: Double,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_f64(lat)
        serializer.serialize_f64(lon)
        serializer.serialize_f64(gcj02Lat)
        serializer.serialize_f64(gcj02Lon)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): MapPoint {
            deserializer.increase_container_depth()
            val lat = deserializer.deserialize_f64()
            val lon = deserializer.deserialize_f64()
            val gcj02Lat = deserializer.deserialize_f64()
            val gcj02Lon = deserializer.deserialize_f64()
            deserializer.decrease_container_depth()
            return MapPoint(lat, lon, gcj02Lat, gcj02Lon)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): MapPoint {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Ask the phone for a photo.
enum class PhotoOperation {
    /// Open the camera.
    TAKE,
    /// Pick one from the gallery.
    PICK;

    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_variant_index(ordinal)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): PhotoOperation {
            deserializer.increase_container_depth()
            val index = deserializer.deserialize_variant_index()
            deserializer.decrease_container_depth()
            return when (index) {
                0 -> TAKE
                1 -> PICK
                else -> throw DeserializationError("Unknown variant index for PhotoOperation: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): PhotoOperation {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface PhotoResult {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// JPEG or PNG bytes, already scaled down by the shell if it wishes.
    data class Photo(
        val bytes: Bytes,
        val mime: String,
    ) : PhotoResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.serialize_bytes(bytes)
            serializer.serialize_str(mime)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Photo {
                deserializer.increase_container_depth()
                val bytes = deserializer.deserialize_bytes()
                val mime = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Photo(bytes, mime)
            }
        }
    }

    data object Cancelled: PhotoResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Cancelled {
            return Cancelled
        }
    }

    data class Failed(
        val reason: String,
    ) : PhotoResult {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.serialize_str(reason)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Failed {
                deserializer.increase_container_depth()
                val reason = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Failed(reason)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): PhotoResult {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Photo.deserialize(deserializer)
                1 -> Cancelled.deserialize(deserializer)
                2 -> Failed.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for PhotoResult: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): PhotoResult {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class PhotoRow(
    val id: String,
    val sha256: String,
    /// The server has the bytes (`GET /v1/blobs/{sha256}`).
    val available: Boolean,
    /// The bytes are on this phone, waiting to be uploaded.
    val uploading: Boolean,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(id)
        serializer.serialize_str(sha256)
        serializer.serialize_bool(available)
        serializer.serialize_bool(uploading)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): PhotoRow {
            deserializer.increase_container_depth()
            val id = deserializer.deserialize_str()
            val sha256 = deserializer.deserialize_str()
            val available = deserializer.deserialize_bool()
            val uploading = deserializer.deserialize_bool()
            deserializer.decrease_container_depth()
            return PhotoRow(id, sha256, available, uploading)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): PhotoRow {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// The single operation `Render` implements.
data object RenderOperation {
    fun serialize(serializer: Serializer) {}

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    fun deserialize(deserializer: Deserializer): RenderOperation {
        return RenderOperation
    }

    @Throws(DeserializationError::class)
    fun bincodeDeserialize(input: ByteArray?): RenderOperation {
        if (input == null) {
            throw DeserializationError("Cannot deserialize null array")
        }
        val deserializer = BincodeDeserializer(input)
        val value = deserialize(deserializer)
        if (deserializer.get_buffer_offset() < input.size) {
            throw DeserializationError("Some input bytes were not read")
        }
        return value
    }
}

data class ReportView(
    /// A resident's request rather than a grid worker's report.
    val isRequest: Boolean,
    val categories: List<cn.gridline.shared.Choice>,
    val description: String,
    /// "36.0512, 103.8301 ±8 m", or absent.
    val location: String? = null,
    val locating: Boolean,
    val parties: List<String>,
    val photos: UInt,
    val photoLimit: UInt,
    val peopleAffected: UInt,
    val amountYuan: ULong,
    val problem: String? = null,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_bool(isRequest)
        categories.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.serialize_str(description)
        location.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.serialize_bool(locating)
        parties.serialize(serializer) {
            serializer.serialize_str(it)
        }
        serializer.serialize_u32(photos)
        serializer.serialize_u32(photoLimit)
        serializer.serialize_u32(peopleAffected)
        serializer.serialize_u64(amountYuan)
        problem.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): ReportView {
            deserializer.increase_container_depth()
            val isRequest = deserializer.deserialize_bool()
            val categories =
                deserializer.deserializeListOf {
                    cn.gridline.shared.Choice.deserialize(deserializer)
                }
            val description = deserializer.deserialize_str()
            val location =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val locating = deserializer.deserialize_bool()
            val parties =
                deserializer.deserializeListOf {
                    deserializer.deserialize_str()
                }
            val photos = deserializer.deserialize_u32()
            val photoLimit = deserializer.deserialize_u32()
            val peopleAffected = deserializer.deserialize_u32()
            val amountYuan = deserializer.deserialize_u64()
            val problem =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            deserializer.decrease_container_depth()
            return ReportView(isRequest, categories, description, location, locating, parties, photos, photoLimit, peopleAffected, amountYuan, problem)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): ReportView {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Request for a side-effect passed from the Core to the Shell.
/// 
/// The `EffectId` links the `Request` with the corresponding call to [`Core::resolve`] to pass the data back
/// to the [`App::update`] function (wrapped in the event provided to the capability originating the effect).
data class Request(
    val id: UInt,
    val effect: cn.gridline.shared.Effect,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_u32(id)
        effect.serialize(serializer)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): Request {
            deserializer.increase_container_depth()
            val id = deserializer.deserialize_u32()
            val effect = cn.gridline.shared.Effect.deserialize(deserializer)
            deserializer.decrease_container_depth()
            return Request(id, effect)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Request {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
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
data class Requests(
    val value: List<cn.gridline.shared.Request>,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        value.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): Requests {
            deserializer.increase_container_depth()
            val value =
                deserializer.deserializeListOf {
                    cn.gridline.shared.Request.deserialize(deserializer)
                }
            deserializer.decrease_container_depth()
            return Requests(value)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Requests {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// Where the user is.
sealed interface Route {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    /// The role's home: a grid worker's open cases and due visits, a cadre's
    /// inbox, a resident's requests.
    data object Home: Route {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Home {
            return Home
        }
    }

    /// A new report (a grid worker) or request (a resident).
    data object NewReport: Route {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): NewReport {
            return NewReport
        }
    }

    data class Case(
        val id: String,
    ) : Route {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            serializer.serialize_str(id)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Case {
                deserializer.increase_container_depth()
                val id = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Case(id)
            }
        }
    }

    /// Watched households with their next visit.
    data object Visits: Route {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Visits {
            return Visits
        }
    }

    data class Visit(
        val watchId: String,
    ) : Route {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            serializer.serialize_str(watchId)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Visit {
                deserializer.increase_container_depth()
                val watchId = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Visit(watchId)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Route {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Home.deserialize(deserializer)
                1 -> NewReport.deserialize(deserializer)
                2 -> Case.deserialize(deserializer)
                3 -> Visits.deserialize(deserializer)
                4 -> Visit.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for Route: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Route {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface Screen {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data object Loading: Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Loading {
            return Loading
        }
    }

    data class Login(
        val value: cn.gridline.shared.LoginView,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Login {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.LoginView.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Login(value)
            }
        }
    }

    data class Home(
        val value: cn.gridline.shared.HomeView,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Home {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.HomeView.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Home(value)
            }
        }
    }

    data class NewReport(
        val value: cn.gridline.shared.ReportView,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): NewReport {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.ReportView.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return NewReport(value)
            }
        }
    }

    data class Case(
        val value: cn.gridline.shared.CaseDetail,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(4)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Case {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.CaseDetail.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Case(value)
            }
        }
    }

    data class Visits(
        val value: cn.gridline.shared.VisitsView,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(5)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Visits {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.VisitsView.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Visits(value)
            }
        }
    }

    data class Visit(
        val value: cn.gridline.shared.VisitView,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(6)
            value.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Visit {
                deserializer.increase_container_depth()
                val value = cn.gridline.shared.VisitView.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Visit(value)
            }
        }
    }

    /// A route to something the phone no longer holds.
    data class Gone(
        val message: String,
    ) : Screen {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(7)
            serializer.serialize_str(message)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Gone {
                deserializer.increase_container_depth()
                val message = deserializer.deserialize_str()
                deserializer.decrease_container_depth()
                return Gone(message)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Screen {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Loading.deserialize(deserializer)
                1 -> Login.deserialize(deserializer)
                2 -> Home.deserialize(deserializer)
                3 -> NewReport.deserialize(deserializer)
                4 -> Case.deserialize(deserializer)
                5 -> Visits.deserialize(deserializer)
                6 -> Visit.deserialize(deserializer)
                7 -> Gone.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for Screen: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Screen {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// The sync status line and what stands behind it.
data class SyncView(
    /// Changes made here the server has not yet confirmed.
    val waiting: UInt,
    /// "3 waiting to send, last synced 14:02".
    val line: String,
    val busy: Boolean,
    /// What went wrong, in words; absent when all is well.
    val problem: String? = null,
    /// The phone's storage failed, in words; it stays until dismissed.
    val storage: String? = null,
    /// Changes the server refused, in words (a conflict, a state moved on).
    val notices: List<String>,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_u32(waiting)
        serializer.serialize_str(line)
        serializer.serialize_bool(busy)
        problem.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        storage.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        notices.serialize(serializer) {
            serializer.serialize_str(it)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): SyncView {
            deserializer.increase_container_depth()
            val waiting = deserializer.deserialize_u32()
            val line = deserializer.deserialize_str()
            val busy = deserializer.deserialize_bool()
            val problem =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val storage =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val notices =
                deserializer.deserializeListOf {
                    deserializer.deserialize_str()
                }
            deserializer.decrease_container_depth()
            return SyncView(waiting, line, busy, problem, storage, notices)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): SyncView {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface TimeRequest {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data object Now: TimeRequest {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): Now {
            return Now
        }
    }

    data class NotifyAt(
        val id: cn.gridline.shared.TimerId,
        val instant: cn.gridline.shared.Instant,
    ) : TimeRequest {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            id.serialize(serializer)
            instant.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): NotifyAt {
                deserializer.increase_container_depth()
                val id = cn.gridline.shared.TimerId.deserialize(deserializer)
                val instant = cn.gridline.shared.Instant.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return NotifyAt(id, instant)
            }
        }
    }

    data class NotifyAfter(
        val id: cn.gridline.shared.TimerId,
        val duration: cn.gridline.shared.Duration,
    ) : TimeRequest {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            id.serialize(serializer)
            duration.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): NotifyAfter {
                deserializer.increase_container_depth()
                val id = cn.gridline.shared.TimerId.deserialize(deserializer)
                val duration = cn.gridline.shared.Duration.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return NotifyAfter(id, duration)
            }
        }
    }

    data class Clear(
        val id: cn.gridline.shared.TimerId,
    ) : TimeRequest {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            id.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Clear {
                deserializer.increase_container_depth()
                val id = cn.gridline.shared.TimerId.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Clear(id)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): TimeRequest {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Now.deserialize(deserializer)
                1 -> NotifyAt.deserialize(deserializer)
                2 -> NotifyAfter.deserialize(deserializer)
                3 -> Clear.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for TimeRequest: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): TimeRequest {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

sealed interface TimeResponse {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data class Now(
        val instant: cn.gridline.shared.Instant,
    ) : TimeResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            instant.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Now {
                deserializer.increase_container_depth()
                val instant = cn.gridline.shared.Instant.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Now(instant)
            }
        }
    }

    data class InstantArrived(
        val id: cn.gridline.shared.TimerId,
    ) : TimeResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            id.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): InstantArrived {
                deserializer.increase_container_depth()
                val id = cn.gridline.shared.TimerId.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return InstantArrived(id)
            }
        }
    }

    data class DurationElapsed(
        val id: cn.gridline.shared.TimerId,
    ) : TimeResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(2)
            id.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): DurationElapsed {
                deserializer.increase_container_depth()
                val id = cn.gridline.shared.TimerId.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return DurationElapsed(id)
            }
        }
    }

    data class Cleared(
        val id: cn.gridline.shared.TimerId,
    ) : TimeResponse {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(3)
            id.serialize(serializer)
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Cleared {
                deserializer.increase_container_depth()
                val id = cn.gridline.shared.TimerId.deserialize(deserializer)
                deserializer.decrease_container_depth()
                return Cleared(id)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): TimeResponse {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> Now.deserialize(deserializer)
                1 -> InstantArrived.deserialize(deserializer)
                2 -> DurationElapsed.deserialize(deserializer)
                3 -> Cleared.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for TimeResponse: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): TimeResponse {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class TimerId(
    val value: ULong,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_u64(value)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): TimerId {
            deserializer.increase_container_depth()
            val value = deserializer.deserialize_u64()
            deserializer.decrease_container_depth()
            return TimerId(value)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): TimerId {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// How pressing a deadline is: the colour of a row.
enum class Urgency {
    /// No deadline runs.
    NONE,
    NORMAL,
    /// Due within two days.
    WARNING,
    DUETODAY,
    OVERDUE;

    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_variant_index(ordinal)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Urgency {
            deserializer.increase_container_depth()
            val index = deserializer.deserialize_variant_index()
            deserializer.decrease_container_depth()
            return when (index) {
                0 -> NONE
                1 -> NORMAL
                2 -> WARNING
                3 -> DUETODAY
                4 -> OVERDUE
                else -> throw DeserializationError("Unknown variant index for Urgency: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Urgency {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

/// The value stored under a key.
/// 
/// `Value::None` is used to represent the absence of a value.
/// 
/// Note: we can't use `Option` here because generics are not currently
/// supported across the FFI boundary, when using the builtin typegen.
sealed interface Value {
    fun serialize(serializer: Serializer)

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    data object None: Value {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(0)
            serializer.decrease_container_depth()
        }

        fun deserialize(deserializer: Deserializer): None {
            return None
        }
    }

    data class Bytes(
        val value: List<UByte>,
    ) : Value {
        override fun serialize(serializer: Serializer) {
            serializer.increase_container_depth()
            serializer.serialize_variant_index(1)
            value.serialize(serializer) {
                serializer.serialize_u8(it)
            }
            serializer.decrease_container_depth()
        }

        companion object {
            fun deserialize(deserializer: Deserializer): Bytes {
                deserializer.increase_container_depth()
                val value =
                    deserializer.deserializeListOf {
                        deserializer.deserialize_u8()
                    }
                deserializer.decrease_container_depth()
                return Bytes(value)
            }
        }
    }

    companion object {
        @Throws(DeserializationError::class)
        fun deserialize(deserializer: Deserializer): Value {
            val index = deserializer.deserialize_variant_index()
            return when (index) {
                0 -> None.deserialize(deserializer)
                1 -> Bytes.deserialize(deserializer)
                else -> throw DeserializationError("Unknown variant index for Value: $index")
            }
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): Value {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class ViewModel(
    val lang: cn.gridline.shared.Lang,
    val screen: cn.gridline.shared.Screen,
    val sync: cn.gridline.shared.SyncView,
    /// Who is logged in: "王芳 · 网格员".
    val user: String? = null,
    /// A message to show once.
    val toast: String? = null,
    val canGoBack: Boolean,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        lang.serialize(serializer)
        screen.serialize(serializer)
        sync.serialize(serializer)
        user.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        toast.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.serialize_bool(canGoBack)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): ViewModel {
            deserializer.increase_container_depth()
            val lang = cn.gridline.shared.Lang.deserialize(deserializer)
            val screen = cn.gridline.shared.Screen.deserialize(deserializer)
            val sync = cn.gridline.shared.SyncView.deserialize(deserializer)
            val user =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val toast =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val canGoBack = deserializer.deserialize_bool()
            deserializer.decrease_container_depth()
            return ViewModel(lang, screen, sync, user, toast, canGoBack)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): ViewModel {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class VisitItem(
    val watchId: String,
    val label: String,
    /// `blue`, `yellow`, `orange`, `red`, or empty when safe.
    val colour: String,
    val due: String? = null,
    val urgency: cn.gridline.shared.Urgency,
    val waiting: Boolean,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        serializer.serialize_str(watchId)
        serializer.serialize_str(label)
        serializer.serialize_str(colour)
        due.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        urgency.serialize(serializer)
        serializer.serialize_bool(waiting)
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): VisitItem {
            deserializer.increase_container_depth()
            val watchId = deserializer.deserialize_str()
            val label = deserializer.deserialize_str()
            val colour = deserializer.deserialize_str()
            val due =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val urgency = cn.gridline.shared.Urgency.deserialize(deserializer)
            val waiting = deserializer.deserialize_bool()
            deserializer.decrease_container_depth()
            return VisitItem(watchId, label, colour, due, urgency, waiting)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): VisitItem {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class VisitView(
    val item: cn.gridline.shared.VisitItem,
    val address: String? = null,
    val reason: String,
    val lastVisit: String? = null,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        item.serialize(serializer)
        address.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.serialize_str(reason)
        lastVisit.serializeOptionOf(serializer) {
            serializer.serialize_str(it)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): VisitView {
            deserializer.increase_container_depth()
            val item = cn.gridline.shared.VisitItem.deserialize(deserializer)
            val address =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            val reason = deserializer.deserialize_str()
            val lastVisit =
                deserializer.deserializeOptionOf {
                    deserializer.deserialize_str()
                }
            deserializer.decrease_container_depth()
            return VisitView(item, address, reason, lastVisit)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): VisitView {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}

data class VisitsView(
    val items: List<cn.gridline.shared.VisitItem>,
) {
    fun serialize(serializer: Serializer) {
        serializer.increase_container_depth()
        items.serialize(serializer) {
            it.serialize(serializer)
        }
        serializer.decrease_container_depth()
    }

    fun bincodeSerialize(): ByteArray {
        val serializer = BincodeSerializer()
        serialize(serializer)
        return serializer.get_bytes()
    }

    companion object {
        fun deserialize(deserializer: Deserializer): VisitsView {
            deserializer.increase_container_depth()
            val items =
                deserializer.deserializeListOf {
                    cn.gridline.shared.VisitItem.deserialize(deserializer)
                }
            deserializer.decrease_container_depth()
            return VisitsView(items)
        }

        @Throws(DeserializationError::class)
        fun bincodeDeserialize(input: ByteArray?): VisitsView {
            if (input == null) {
                throw DeserializationError("Cannot deserialize null array")
            }
            val deserializer = BincodeDeserializer(input)
            val value = deserialize(deserializer)
            if (deserializer.get_buffer_offset() < input.size) {
                throw DeserializationError("Some input bytes were not read")
            }
            return value
        }
    }
}
