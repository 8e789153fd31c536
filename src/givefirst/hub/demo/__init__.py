"""The hub's demo association: hand-written people and text (`cast`, `content`) and a seeded generator
(`scenario`) that turns them into plain records; `hub.services.demo` writes them through the store."""
