# Teks antarmuka yang dipakai di semua halaman: navigasi, masuk, halaman publik.
skip-to-content = Lompat ke konten
nav-label = Utama
nav-directory = Direktori
nav-home-feed = Beranda
nav-publish = Terbitkan
nav-network = Jaringan
nav-referrals = Rujukan
nav-admin = Administrasi
sign-in = Masuk
sign-out = Keluar
language-label = Bahasa
footer-about = Gotong: organisasi yang melayani migran dan pengungsi, bekerja bersama di seluruh kawasan.
back-home = Kembali ke halaman depan
yes = Ya
no = Tidak

home-title = Organisasi di node ini
home-intro = Program, praktik baik, dan tawaran rujukan dari organisasi di node ini dan organisasi yang mereka ikuti.
home-organisations = Organisasi
directory-search-label = Cari program, praktik, dan tawaran
directory-search-button = Cari

org-about = Tentang
org-nothing-yet = Belum ada yang diterbitkan.
object-from-node = dari { $node }

kind-update = Kabar
kind-program = Program
kind-practice = Praktik baik
kind-advocacy = Catatan advokasi
kind-offer = Tawaran rujukan
kind-update-plural = Kabar terbaru
kind-program-plural = Program
kind-practice-plural = Praktik baik
kind-advocacy-plural = Catatan advokasi
kind-offer-plural = Tawaran rujukan yang terbuka

field-themes = Tema
field-countries = Negara
field-populations = Siapa yang dilayani
field-languages = Bahasa
field-areas = Wilayah
field-eligibility = Syarat
field-how-to-refer = Cara merujuk
field-accepting = Menerima rujukan

login-username = Nama pengguna
login-password = Kata sandi
login-failed = Nama pengguna dan kata sandi itu tidak cocok dengan akun di sini.

setup-title = Siapkan node ini
setup-intro = Pilih kata sandi administrator dan jelaskan organisasi Anda. Tautan ini hanya berlaku sekali.
setup-admin-is = Nama pengguna administrator adalah { $username }.
setup-password = Kata sandi
setup-password-help = Paling sedikit 10 karakter. Beberapa kata yang tidak berhubungan membuat frasa sandi yang kuat.
setup-profile = Organisasi Anda
setup-org-name = Nama
setup-org-summary = Tentang organisasi
setup-submit = Selesaikan penyiapan
setup-link-invalid = Tautan penyiapan ini tidak berlaku: sudah dipakai atau salah ketik.
setup-name-required = Organisasi memerlukan nama.

staff-welcome = Masuk sebagai { $username }.
feed-empty = Belum ada apa-apa. Ikuti organisasi untuk melihat terbitan mereka.
feed-older = Lebih lama

error-csrf = Formulir ini kedaluwarsa atau berasal dari situs lain. Kembali, muat ulang halaman, lalu coba lagi.
error-too-large = Terlalu besar untuk diterima.
error-bad-form = Formulir tidak dapat dibaca. Kembali dan periksa isian Anda.
error-forbidden = Peran Anda tidak mengizinkan ini.
error-not-found = Tidak ada apa-apa di sini.
