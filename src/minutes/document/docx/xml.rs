//! Small helpers over `roxmltree` for WordprocessingML: elements and attributes
//! are matched by local name within the WordprocessingML namespace (both the
//! Transitional one Word writes and the Strict one of ISO 29500).

use roxmltree::Node;

const W_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";

fn is_w_namespace(ns: Option<&str>) -> bool {
    matches!(ns, Some(W_TRANSITIONAL | W_STRICT))
}

/// Whether `node` is the element `w:name`.
pub(super) fn is(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && is_w_namespace(node.tag_name().namespace())
}

pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, name))
}

pub(super) fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, name))
}

/// The attribute `w:name`.
pub(super) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name && is_w_namespace(a.namespace()))
        .map(|a| a.value())
}

/// The attribute `w:val`.
pub(super) fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    attr(node, "val")
}

pub(super) fn int_attr(node: Node, name: &str) -> Option<u32> {
    attr(node, name)?.trim().parse().ok()
}

/// A toggle property such as `w:vanish`: present means on unless `w:val` is false.
pub(super) fn toggle(node: Node, name: &str) -> bool {
    child(node, name).is_some_and(|p| !matches!(val(p), Some("0" | "false" | "off")))
}
