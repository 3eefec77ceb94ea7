"""The helpline's first taxonomy of issues (data: loaded by a migration, edited in the admin).
(code, name, safety-engine flags that suggest it, makes a contact critical)"""

TAXONOMY = [
    ("cyberbullying", "Bắt nạt trên mạng", ["harassment"], False),
    ("sexual_abuse", "Xâm hại tình dục trên mạng", ["sexual"], True),
    ("grooming", "Dụ dỗ, làm quen để xâm hại (grooming)", ["sexual"], True),
    ("sextortion", "Tống tiền bằng hình ảnh nhạy cảm", ["sexual"], True),
    ("violence", "Bạo lực, đe dọa", ["violence"], False),
    ("self_harm", "Tự hại, nguy cơ tự tử", ["self_harm"], True),
    ("scam", "Lừa đảo", ["scam"], False),
    ("gambling", "Cờ bạc, cá độ", ["gambling"], False),
    ("drugs", "Ma túy, chất kích thích", ["drugs"], False),
    ("personal_data", "Lộ thông tin cá nhân", ["personal_data"], False),
    ("mental_health", "Sức khỏe tâm thần", [], False),
    ("family_peers", "Gia đình, bạn bè", [], False),
    ("school", "Học tập, nhà trường", [], False),
    ("online_safety", "Hỏi về an toàn trên mạng", [], False),
    ("other", "Khác", [], False),
]
