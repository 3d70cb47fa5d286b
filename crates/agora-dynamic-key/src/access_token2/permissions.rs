//! RTM2 permissions: resource type → permission type → resource names, and their packing.
//!
//! [`Permissions`] keeps both maps sorted by numeric id (the packed order every reference
//! uses) and accepts any `u16` id; [`ResourceType`] and [`PermissionType`] name the known
//! ones. Packing refuses counts or names that do not fit the wire's `u16` lengths
//! ([`Error::TooLong`]).
use super::*;

/// RTM2 resource types (any `u16` can be packed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum ResourceType {
    /// 0
    MessageChannels = 0,
    /// 1
    StreamChannels = 1,
    /// 2
    GroupChannels = 2,
    /// 3
    ServerGroups = 3,
    /// 4
    Users = 4,
}

impl From<ResourceType> for u16 {
    fn from(t: ResourceType) -> u16 {
        t as u16
    }
}

/// RTM2 permission types (any `u16` can be packed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum PermissionType {
    /// 0
    Read = 0,
    /// 1
    Write = 1,
}

impl From<PermissionType> for u16 {
    fn from(t: PermissionType) -> u16 {
        t as u16
    }
}

/// RTM2 permissions: resource type → permission type → resource names.
///
/// Packed in ascending resource type, then ascending permission type; each list keeps its
/// order and duplicates. A resource exists only once a permission was added to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permissions(BTreeMap<u16, BTreeMap<u16, Vec<String>>>);

impl Permissions {
    /// No permissions.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (replaces) the list for `(resource, permission)`.
    pub fn add(&mut self, resource: u16, permission: u16, list: Vec<String>) -> &mut Self {
        self.0.entry(resource).or_default().insert(permission, list);
        self
    }

    /// Typed form of [`Self::add`].
    pub fn add_typed(
        &mut self,
        resource: ResourceType,
        permission: PermissionType,
        list: Vec<String>,
    ) -> &mut Self {
        self.add(resource.into(), permission.into(), list)
    }

    /// The list for `(resource, permission)`.
    #[must_use]
    pub fn get(&self, resource: u16, permission: u16) -> Option<&[String]> {
        self.0.get(&resource)?.get(&permission).map(Vec::as_slice)
    }

    /// True when no resource is present.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(resource, permission, list)` in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, u16, &[String])> {
        self.0
            .iter()
            .flat_map(|(&r, m)| m.iter().map(move |(&p, l)| (r, p, l.as_slice())))
    }

    /// Resource types in ascending order with their permission maps.
    pub fn resources(&self) -> impl Iterator<Item = (u16, &BTreeMap<u16, Vec<String>>)> {
        self.0.iter().map(|(&r, m)| (r, m))
    }

    pub(super) fn pack(&self, w: &mut Writer) -> Result<(), Error> {
        w.count(self.0.len(), "rtm2 resource types")?;
        for (&r, perms) in &self.0 {
            w.u16(r);
            w.count(perms.len(), "rtm2 permission types")?;
            for (&p, list) in perms {
                w.u16(p);
                w.count(list.len(), "rtm2 resource list")?;
                for s in list {
                    w.bytes(s.as_bytes(), "rtm2 resource name")?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn unpack(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut out = Self::new();
        for _ in 0..r.u16()? {
            let resource = r.u16()?;
            for _ in 0..r.u16()? {
                let permission = r.u16()?;
                let n = r.u16()?;
                let mut list = Vec::with_capacity(usize::from(n).min(r.rest().len() / 2));
                for _ in 0..n {
                    list.push(r.string()?);
                }
                out.add(resource, permission, list);
            }
        }
        Ok(out)
    }
}
