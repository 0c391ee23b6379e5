<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Nông dân Thạnh Hóa trúng mùa thanh long - Cổng thông tin điện tử tỉnh Long An</title>
<link rel="canonical" href="https://www.longan.gov.vn/tin-tuc/Pages/Nong-dan-Thanh-Hoa-trung-mua-thanh-long.aspx">
</head>
<body>
<form method="post" action="./Pages" id="aspnetForm">
<div id="s4-workspace"><div id="s4-bodyContainer">
  <div class="la-header"><div class="la-lang">Tiếng Việt | English</div>
    <ul class="la-menu"><li><a href="/tin-tuc/Pages/default.aspx">Tin tức</a></li><li><a href="/Pages/gioi-thieu.aspx">Giới thiệu</a></li></ul></div>
  <div id="contentBox"><div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpartzone-cell">
    <div class="la-news-detail">
      <div class="la-news-date">28/03/2022 - 08:30</div>
      <h1 class="la-news-title">Nông dân Thạnh Hóa trúng mùa thanh long</h1>
      <div class="la-news-summary">Vụ thanh long nghịch mùa năm nay, nhiều nhà vườn ở huyện Thạnh Hóa thu hoạch đạt sản lượng cao, trái to, đẹp, được thương lái thu mua tại vườn.</div>
      <div id="ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl01_label">
<p>Ông Nguyễn Văn Tư, xã Thuận Nghĩa Hòa, cho biết gia đình ông có 2 héc-ta, mỗi héc-ta cho khoảng 25 tấn trái; với giá bán hiện nay, ông lãi hơn 200 triệu đồng.</p>
<p>Ngành nông nghiệp huyện khuyến cáo nông dân sản xuất theo tiêu chuẩn VietGAP để mở rộng đầu ra sang các thị trường xuất khẩu.</p>
      </div>
      <div class="la-news-author">Ngọc Mai</div>
      <div class="la-share">Chia sẻ bài viết</div>
    </div>
  </div></div></div>
</div></div>
</form>
</body>
</html>
