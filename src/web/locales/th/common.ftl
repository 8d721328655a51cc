# ข้อความของหน้าจอที่ใช้ร่วมกันทุกหน้า: การนำทาง การเข้าสู่ระบบ หน้าสาธารณะ
skip-to-content = ข้ามไปยังเนื้อหา
nav-label = เมนูหลัก
nav-directory = สารบบ
nav-home-feed = หน้าแรกของฉัน
nav-publish = เผยแพร่
nav-network = เครือข่าย
nav-referrals = การส่งต่อ
nav-admin = ผู้ดูแลระบบ
sign-in = เข้าสู่ระบบ
sign-out = ออกจากระบบ
language-label = ภาษา
footer-about = Gotong: องค์กรที่ให้บริการผู้ย้ายถิ่นและผู้ลี้ภัย ทำงานร่วมกันทั่วภูมิภาค
back-home = กลับไปหน้าแรก
yes = ใช่
no = ไม่ใช่

home-title = องค์กรบนโหนดนี้
home-intro = โครงการ แนวปฏิบัติที่ดี และข้อเสนอรับการส่งต่อขององค์กรบนโหนดนี้ และขององค์กรที่พวกเขาติดตาม
home-organisations = องค์กร
directory-search-label = ค้นหาโครงการ แนวปฏิบัติ และข้อเสนอ
directory-search-button = ค้นหา

org-about = เกี่ยวกับ
org-nothing-yet = ยังไม่มีการเผยแพร่
object-from-node = จาก { $node }

kind-update = ข่าวสาร
kind-program = โครงการ
kind-practice = แนวปฏิบัติที่ดี
kind-advocacy = บันทึกการรณรงค์
kind-offer = ข้อเสนอรับการส่งต่อ
kind-update-plural = ข่าวสาร
kind-program-plural = โครงการ
kind-practice-plural = แนวปฏิบัติที่ดี
kind-advocacy-plural = บันทึกการรณรงค์
kind-offer-plural = ข้อเสนอรับการส่งต่อที่เปิดอยู่

field-themes = หัวข้อ
field-countries = ประเทศ
field-populations = กลุ่มเป้าหมาย
field-languages = ภาษา
field-areas = พื้นที่
field-eligibility = คุณสมบัติ
field-how-to-refer = วิธีส่งต่อ
field-accepting = รับการส่งต่อ

login-username = ชื่อผู้ใช้
login-password = รหัสผ่าน
login-failed = ชื่อผู้ใช้และรหัสผ่านไม่ตรงกับบัญชีใดบนโหนดนี้

setup-title = ตั้งค่าโหนดนี้
setup-intro = ตั้งรหัสผ่านของผู้ดูแลระบบและอธิบายองค์กรของคุณ ลิงก์นี้ใช้ได้ครั้งเดียว
setup-admin-is = ชื่อผู้ใช้ของผู้ดูแลระบบคือ { $username }
setup-password = รหัสผ่าน
setup-password-help = อย่างน้อย 10 ตัวอักษร คำหลายคำที่ไม่เกี่ยวข้องกันเป็นวลีรหัสผ่านที่แข็งแรง
setup-profile = องค์กรของคุณ
setup-org-name = ชื่อ
setup-org-summary = เกี่ยวกับองค์กร
setup-submit = ตั้งค่าให้เสร็จ
setup-link-invalid = ลิงก์ตั้งค่านี้ใช้ไม่ได้: ถูกใช้ไปแล้วหรือพิมพ์ผิด
setup-name-required = องค์กรต้องมีชื่อ

staff-welcome = เข้าสู่ระบบในชื่อ { $username }
feed-empty = ยังไม่มีอะไร ติดตามองค์กรต่าง ๆ เพื่อดูสิ่งที่พวกเขาเผยแพร่
feed-older = เก่ากว่า

error-csrf = แบบฟอร์มนี้หมดอายุหรือมาจากเว็บไซต์อื่น กรุณากลับไป โหลดหน้าใหม่ แล้วลองอีกครั้ง
error-too-large = ข้อมูลใหญ่เกินกว่าจะรับได้
error-bad-form = อ่านแบบฟอร์มไม่ได้ กรุณากลับไปตรวจสอบสิ่งที่กรอก
error-forbidden = บทบาทของคุณไม่อนุญาตให้ทำสิ่งนี้
error-not-found = ไม่มีอะไรที่นี่
