//! The stored vocabulary: the enums whose variants are the words kept in a text column
//! (statuses, sides, kinds, states, roles) and the ids that must not be mixed up.
//!
//! Why they are defined here and not in `domain`: `domain` sits above `db` in the layers
//! (tests/layers.rs), so a row struct here cannot name a domain type. The enums live in the
//! lowest layer that needs them; `domain` re-exports them under their usual paths and adds
//! its rules (transitions, labels) as inherent `impl` blocks, which Rust allows anywhere in
//! the crate. Every row therefore holds a typed value, converted once when it is read: a word
//! that no variant spells is a decoding error (`DbError::Sqlx`), never a silent default.

/// Defines an enum stored as text: `as_str` gives the stored word, `from_stored` reads it
/// back (`None` for an unknown word), and sqlx encodes and decodes it as text on every
/// backend, refusing an unknown word.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored for this value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value a stored word spells, `None` for a word no variant spells.
            pub fn from_stored(word: &str) -> Option<$name> {
                match word {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let word = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                $name::from_stored(word).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " {:?} stored"), word).into()
                })
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'q str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}

/// Defines an id newtype over the table's `i64` key, stored as the bare integer.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            sqlx::Type, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[sqlx(transparent)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The key of a referral (`referrals.id`).
    ReferralId
);

stored_enum! {
    /// Where a referral stands. Both parties hold a copy and move it with the same rules
    /// (`domain::referrals`).
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum ReferralStatus {
        Sent = "sent",
        Received = "received",
        Accepted = "accepted",
        InProgress = "in_progress",
        Completed = "completed",
        Declined = "declined",
        Withdrawn = "withdrawn",
        /// Never answered (neither accepted nor declined) within the expiry period.
        Expired = "expired",
        Closed = "closed",
    }
}

stored_enum! {
    /// Which party this organisation is in a referral.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum Side {
        Sender = "sender",
        Receiver = "receiver",
    }
}

stored_enum! {
    /// How soon the person needs help.
    #[derive(serde::Serialize, serde::Deserialize, Default, utoipa::ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum Urgency {
        #[default]
        Routine = "routine",
        Urgent = "urgent",
        Emergency = "emergency",
    }
}

stored_enum! {
    /// What an event of a referral's timeline records.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum EventKind {
        /// A change of status, with its note.
        Status = "status",
        /// A message between the parties.
        Message = "message",
    }
}

stored_enum! {
    /// A follow starts `Pending` until the followed side answers `Accept` or `Reject`.
    #[derive(serde::Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum FollowState {
        Pending = "pending",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

stored_enum! {
    /// What a staff member may do. Admins may do everything editors and caseworkers may.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum Role {
        Admin = "admin",
        Editor = "editor",
        Caseworker = "caseworker",
    }
}

#[cfg(test)]
mod tests;
